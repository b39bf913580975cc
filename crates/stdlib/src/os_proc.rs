//! The process and system queries of `os` that need no libc: ids, load and times from
//! /proc, `uname` from /proc/sys/kernel, random bytes from /dev/urandom, `chdir`,
//! `strerror`, and `system` through the shell (`std::process`).

use pyvm_vm::vm::{NativeFn, PyResult, Vm};
use pyvm_gc::Value;

pub fn install(vm: &mut Vm, m: &Value) {
    let fns: [(&'static str, NativeFn); 15] = [
        ("urandom", urandom),
        ("getuid", getuid),
        ("geteuid", geteuid),
        ("getgid", getgid),
        ("getegid", getegid),
        ("getppid", getppid),
        ("getpgrp", getpgrp),
        ("getsid", getsid),
        ("_uname", uname),
        ("_times", times),
        ("getloadavg", getloadavg),
        ("strerror", strerror),
        ("chdir", chdir),
        ("system", system),
        ("getlogin", getlogin),
    ];
    for (k, f) in fns {
        vm.module_add_fn(m, k, f);
    }
}

fn urandom(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("urandom", args, 1, 1)?;
    let n = vm.as_i64(&args[0]).ok_or_else(|| vm.type_error("'float' object cannot be interpreted as an integer"))?;
    if n < 0 {
        return Err(vm.value_error("negative argument not allowed"));
    }
    let mut buf = vec![0u8; n as usize];
    let r = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf));
    match r {
        Ok(()) => Ok(vm.new_bytes(buf)),
        Err(e) => Err(vm.os_error(&e, "")),
    }
}

/// A field of /proc/self/status ("Uid:", "Gid:"): real, effective, saved, fs.
fn status_ids(key: &str) -> Vec<i64> {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().find(|l| l.starts_with(key)).map(|l| l[key.len()..].split_whitespace().filter_map(|x| x.parse().ok()).collect()).unwrap_or_default()
}
fn getuid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(status_ids("Uid:").first().copied().unwrap_or(0)))
}
fn geteuid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(status_ids("Uid:").get(1).copied().unwrap_or(0)))
}
fn getgid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(status_ids("Gid:").first().copied().unwrap_or(0)))
}
fn getegid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(status_ids("Gid:").get(1).copied().unwrap_or(0)))
}

/// The fields of /proc/self/stat after the command name (state is field 0 here).
fn stat_fields() -> Vec<String> {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    rest.split_whitespace().map(str::to_string).collect()
}
fn stat_field(i: usize) -> i64 {
    stat_fields().get(i).and_then(|x| x.parse().ok()).unwrap_or(0)
}
fn getppid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(stat_field(1)))
}
fn getpgrp(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(stat_field(2)))
}
fn getsid(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    Ok(vm.new_int(stat_field(3)))
}

/// (sysname, nodename, release, version, machine); os wraps it in uname_result.
fn uname(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let read = |f: &str| std::fs::read_to_string(format!("/proc/sys/kernel/{f}")).map(|s| s.trim_end().to_string()).unwrap_or_default();
    let parts = [read("ostype"), read("hostname"), read("osrelease"), read("version"), std::env::consts::ARCH.to_string()];
    let v: Vec<Value> = parts.into_iter().map(|s| vm.new_str(s)).collect();
    Ok(vm.new_tuple(v))
}

/// (user, system, children_user, children_system, elapsed) in seconds.
fn times(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let f = stat_fields();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0) / 100.0;
    let uptime = std::fs::read_to_string("/proc/uptime").ok().and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok())).unwrap_or(0.0);
    let vals = [tick(11), tick(12), tick(13), tick(14), uptime];
    let v: Vec<Value> = vals.into_iter().map(|x| vm.new_float(x)).collect();
    Ok(vm.new_tuple(v))
}

fn getloadavg(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    let s = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let v: Vec<f64> = s.split_whitespace().take(3).filter_map(|x| x.parse().ok()).collect();
    if v.len() != 3 {
        return Err(vm.new_exception("OSError", "Load averages are unobtainable"));
    }
    let t: Vec<Value> = v.into_iter().map(|x| vm.new_float(x)).collect();
    Ok(vm.new_tuple(t))
}

/// The C library's message for an errno (Rust's, without its " (os error N)" suffix).
fn strerror(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("strerror", args, 1, 1)?;
    let n = vm.as_i64(&args[0]).ok_or_else(|| vm.type_error("an integer is required"))?;
    let msg = std::io::Error::from_raw_os_error(n as i32).to_string();
    let msg = match msg.rfind(" (os error") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Ok(vm.new_str(msg))
}

fn chdir(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("chdir", args, 1, 1)?;
    let p = vm.str_val(&args[0]);
    match std::env::set_current_dir(&p) {
        Ok(()) => Ok(vm.none.clone()),
        Err(e) => Err(vm.os_error(&e, &p)),
    }
}

/// `system(command)`: run through /bin/sh; the result is the wait status (exit code
/// shifted left 8 bits, or the signal number).
fn system(vm: &mut Vm, args: &[Value], _k: &[Value]) -> PyResult<Value> {
    vm.check_nargs("system", args, 1, 1)?;
    let cmd = vm.str_val(&args[0]);
    vm.flush_stdout();
    let status = std::process::Command::new("/bin/sh").arg("-c").arg(&cmd).status();
    match status {
        Ok(s) => {
            use std::os::unix::process::ExitStatusExt;
            let code = match (s.code(), s.signal()) {
                (Some(c), _) => (c as i64) << 8,
                (None, Some(sig)) => sig as i64,
                _ => 0,
            };
            Ok(vm.new_int(code))
        }
        Err(_) => Ok(vm.new_int(127 << 8)),
    }
}

fn getlogin(vm: &mut Vm, _a: &[Value], _k: &[Value]) -> PyResult<Value> {
    match std::env::var("LOGNAME").or_else(|_| std::env::var("USER")) {
        Ok(u) => Ok(vm.new_str(u)),
        Err(_) => Err(vm.new_exception("OSError", "[Errno 6] No such device or address")),
    }
}
