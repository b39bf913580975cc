"""Objects and method calls: a small operating-system scheduler simulation with
tasks, packets and queues (in the spirit of the Richards benchmark)."""
ITERATIONS = 180

IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = range(6)
K_DEVICE, K_WORK = 0, 1


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * 4

    def append_to(self, lst):
        self.link = None
        if lst is None:
            return self
        p = lst
        while p.link is not None:
            p = p.link
        p.link = self
        return lst


class Task:
    def __init__(self, sched, ident, prio, wkq):
        self.sched = sched
        self.ident = ident
        self.prio = prio
        self.wkq = wkq
        self.waiting = wkq is not None
        self.held = False
        self.count = 0
        sched.add(self)

    def runnable(self):
        return not self.held and (not self.waiting or self.wkq is not None)

    def take_packet(self):
        p = self.wkq
        if p is None:
            return None
        self.wkq = p.link
        self.waiting = False
        return p

    def deliver(self, packet):
        self.wkq = packet.append_to(self.wkq)


class IdleTask(Task):
    def __init__(self, sched, ident, prio, count):
        Task.__init__(self, sched, ident, prio, None)
        self.control = 1
        self.remaining = count

    def run(self, packet):
        self.remaining -= 1
        if self.remaining == 0:
            self.held = True
            return None
        if self.control & 1 == 0:
            self.control //= 2
            return self.sched.release(DEVICE_A)
        self.control = (self.control // 2) ^ 0xD008
        return self.sched.release(DEVICE_B)


class WorkTask(Task):
    def __init__(self, sched, ident, prio, wkq):
        Task.__init__(self, sched, ident, prio, wkq)
        self.destination = HANDLER_A
        self.letter = 0

    def run(self, packet):
        if packet is None:
            self.waiting = True
            return None
        self.destination = HANDLER_B if self.destination == HANDLER_A else HANDLER_A
        packet.ident = self.destination
        packet.datum = 0
        for i in range(4):
            self.letter = self.letter % 26 + 1
            packet.data[i] = self.letter
        return self.sched.send(packet, self.destination, self.ident)


class HandlerTask(Task):
    def __init__(self, sched, ident, prio, wkq, device):
        Task.__init__(self, sched, ident, prio, wkq)
        self.work = None
        self.devices = None
        self.device = device

    def run(self, packet):
        if packet is not None:
            if packet.kind == K_WORK:
                self.work = packet.append_to(self.work)
            else:
                self.devices = packet.append_to(self.devices)
        work = self.work
        if work is not None:
            if work.datum < 4:
                dev = self.devices
                if dev is not None:
                    self.devices = dev.link
                    dev.datum = work.data[work.datum]
                    work.datum += 1
                    return self.sched.send(dev, self.device, self.ident)
            else:
                self.work = work.link
                return self.sched.send(work, work.ident, self.ident)
        self.waiting = True
        return None


class DeviceTask(Task):
    def __init__(self, sched, ident, prio):
        Task.__init__(self, sched, ident, prio, None)
        self.pending = None

    def run(self, packet):
        if packet is None:
            p = self.pending
            if p is None:
                self.waiting = True
                return None
            self.pending = None
            return self.sched.send(p, p.ident, self.ident)
        self.pending = packet
        self.sched.hold_count += 1
        self.held = True
        return None


class Scheduler:
    def __init__(self):
        self.tasks = {}
        self.order = []
        self.hold_count = 0
        self.qpkt_count = 0

    def add(self, task):
        self.tasks[task.ident] = task
        self.order.append(task)
        self.order.sort(key=lambda t: -t.prio)

    def release(self, ident):
        t = self.tasks[ident]
        t.held = False
        return t

    def send(self, packet, target_id, sender_id):
        # The packet carries its sender's id, so the receiver can send it back.
        self.qpkt_count += 1
        packet.ident = sender_id
        target = self.tasks[target_id]
        target.deliver(packet)
        return target

    def schedule(self):
        steps = 0
        while True:
            progressed = False
            for t in self.order:
                if t.runnable():
                    packet = t.take_packet()
                    t.count += 1
                    t.run(packet)
                    steps += 1
                    progressed = True
                    break
            if not progressed:
                return steps


def build():
    s = Scheduler()
    IdleTask(s, IDLE, 0, 2000)
    wq = Packet(None, 0, K_WORK)
    wq = Packet(wq, 0, K_WORK)
    WorkTask(s, WORKER, 1000, wq)
    q = Packet(None, DEVICE_A, K_DEVICE)
    q = Packet(q, DEVICE_A, K_DEVICE)
    q = Packet(q, DEVICE_A, K_DEVICE)
    HandlerTask(s, HANDLER_A, 2000, q, DEVICE_A)
    q = Packet(None, DEVICE_B, K_DEVICE)
    q = Packet(q, DEVICE_B, K_DEVICE)
    q = Packet(q, DEVICE_B, K_DEVICE)
    HandlerTask(s, HANDLER_B, 3000, q, DEVICE_B)
    DeviceTask(s, DEVICE_A, 4000)
    DeviceTask(s, DEVICE_B, 5000)
    return s


total = 0
for _ in range(ITERATIONS):
    s = build()
    total += s.schedule() + s.qpkt_count * 3 + s.hold_count
print("checksum", total)
