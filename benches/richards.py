"""Objects, method calls, attribute access: a Richards-style priority task scheduler."""
ITERATIONS = 100
IDLE_COUNT = 5000
IDLE, WORK, HANDLER_A, HANDLER_B, DEV_A, DEV_B = range(6)
DEVICE_PKT, WORK_PKT = 0, 1

class Packet:
    def __init__(self, kind):
        self.kind, self.sender, self.datum = kind, -1, 0
        self.data = [0, 0, 0, 0]

class Task:
    def __init__(self, sched, ident, prio, packets):
        self.sched, self.ident, self.prio = sched, ident, prio
        self.queue = packets
        self.held, self.waiting = False, True
        sched.add(self)
    def runnable(self):
        return not self.held and (not self.waiting or len(self.queue) > 0)
    def step(self):
        if self.waiting and self.queue:
            self.waiting = False
            return self.run(self.queue.pop(0))
        self.run(None)
    def send(self, pkt, to):
        pkt.sender = self.ident
        self.sched.tasks[to].queue.append(pkt)
        self.sched.queued += 1
    def wait(self):
        self.waiting = True
    def hold(self):
        self.held = True
        self.sched.holds += 1
    def release(self, ident):
        self.sched.tasks[ident].held = False

class IdleTask(Task):
    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.hold()
        self.seed = (self.seed * 75 + 74) % 65537
        self.release(DEV_A if self.seed % 2 == 0 else DEV_B)

class WorkTask(Task):
    def run(self, pkt):
        if pkt is None:
            return self.wait()
        self.target = HANDLER_B if self.target == HANDLER_A else HANDLER_A
        pkt.datum = 0
        for i in range(4):
            self.letter = self.letter % 26 + 1
            pkt.data[i] = 64 + self.letter
        self.send(pkt, self.target)

class HandlerTask(Task):
    def run(self, pkt):
        if pkt is not None:
            (self.work if pkt.kind == WORK_PKT else self.devs).append(pkt)
        if self.work:
            w = self.work[0]
            if w.datum >= 4:
                return self.send(self.work.pop(0), WORK)
            if self.devs:
                d = self.devs.pop()
                d.datum, w.datum = w.data[w.datum], w.datum + 1
                return self.send(d, self.device)
        self.wait()

class DeviceTask(Task):
    def run(self, pkt):
        if pkt is not None:
            self.stored = pkt
            self.sched.chars += pkt.datum * (self.ident - 3)
            self.hold()
        elif self.stored is not None:
            p, self.stored = self.stored, None
            self.send(p, p.sender)
        else:
            self.wait()

class Scheduler:
    def __init__(self):
        self.tasks, self.order = [None] * 6, []
        self.queued = self.holds = self.chars = self.steps = 0
    def add(self, task):
        self.tasks[task.ident] = task
        i = 0
        while i < len(self.order) and self.order[i].prio > task.prio:
            i += 1
        self.order.insert(i, task)
    def run(self):
        while True:
            for t in self.order:
                if t.runnable():
                    break
            else:
                return
            self.steps += 1
            t.step()

def build(sched, count):
    idle = IdleTask(sched, IDLE, 0, [])
    idle.waiting, idle.count, idle.seed = False, count, 1
    work = WorkTask(sched, WORK, 1000, [Packet(WORK_PKT), Packet(WORK_PKT)])
    work.target, work.letter = HANDLER_A, 0
    for ident, prio, dev in ((HANDLER_A, 2000, DEV_A), (HANDLER_B, 3000, DEV_B)):
        h = HandlerTask(sched, ident, prio, [Packet(DEVICE_PKT) for _ in range(3)])
        h.work, h.devs, h.device = [], [], dev
    for ident, prio in ((DEV_A, 4000), (DEV_B, 5000)):
        DeviceTask(sched, ident, prio, []).stored = None

total = 0
for it in range(ITERATIONS):
    s = Scheduler()
    build(s, IDLE_COUNT + it)
    s.run()
    total += s.queued * 3 + s.holds * 7 + s.chars + s.steps
print("checksum", total, s.queued, s.holds, s.steps)
