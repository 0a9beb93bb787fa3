//! bench ipc and the posix lab through the real binary and kernel. Nothing
//! here is timed: a short run must deliver every message intact, and the
//! kernel must answer as the posix lab says it does.

mod common;

use common::*;

#[test]
fn every_transport_delivers_every_message_intact() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("ipc-all");
    let out = shmlab(&["bench", "ipc", "--sizes", "64,4096", "--duration", "0.01", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "a corrupt or lost message fails the run: {}", stderr(&out));
    let doc = read_json(&path);
    assert_eq!(doc["experiment"], "bench-ipc");
    let records = doc["records"].as_array().unwrap();
    let one_cpu = std::thread::available_parallelism().map(|n| n.get() < 2).unwrap_or(true);
    for transport in ["pipe", "fifo", "unix-stream", "unix-dgram", "tcp", "posix-mq", "sysv-mq", "shm"] {
        for mode in ["latency", "throughput"] {
            for size in [64, 4096] {
                let found: Vec<_> = records
                    .iter()
                    .filter(|r| r["transport"] == transport && r["mode"] == mode && r["size"] == size)
                    .collect();
                assert!(!found.is_empty(), "no {transport} {mode} {size} record");
                for r in found {
                    if r["skipped"].is_string() {
                        // Only spinning on one CPU may be refused at these sizes.
                        assert!(one_cpu && r["wake"] == "spin", "{transport} {mode} {size} skipped: {r}");
                        continue;
                    }
                    assert!(r["messages"].as_u64().unwrap() > 0, "{r}");
                    match mode {
                        "latency" => assert!(r["one_way_ns"]["median"].as_f64().unwrap() > 0.0, "{r}"),
                        _ => assert!(r["bytes_per_s"].as_f64().unwrap() > 0.0, "{r}"),
                    }
                }
            }
        }
    }
    let wakes: Vec<&str> = records.iter().filter_map(|r| r["wake"].as_str()).collect();
    for wake in ["spin", "futex", "eventfd"] {
        assert!(wakes.contains(&wake), "no shm record with wake {wake}");
    }
    assert!(stdout(&out).contains("two copies"), "the reading explains where the time goes");
    assert_eq!(snapshot(), before, "bench ipc left queues, segments or files behind");
}

#[test]
fn message_queue_limits_are_skipped_points_not_failures() {
    let _serial = serial();
    let path = json_path("ipc-big");
    let out = shmlab(&[
        "bench",
        "ipc",
        "--transport",
        "sysv-mq",
        "--sizes",
        "1MiB",
        "--mode",
        "latency",
        "--duration",
        "0.01",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let r = &doc["records"][0];
    assert!(r["skipped"].as_str().unwrap().contains("kernel.msgmax"), "names the limit: {r}");
}

#[test]
fn bad_ipc_input_is_one_line_and_exit_2() {
    for args in [
        &["bench", "ipc", "--sizes", "0"][..],
        &["bench", "ipc", "--sizes", "8MiB"],
        &["bench", "ipc", "--transport", "carrier-pigeon"],
        &["bench", "ipc", "--cpus", "0,4096"],
        &["bench", "ipc", "--cpus", "zero"],
        &["bench", "ipc", "--duration", "0"],
    ] {
        let out = shmlab(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
        assert!(err.starts_with("shmlab: error:"), "{args:?}: {err}");
    }
}

#[test]
fn the_posix_lab_shows_what_the_kernel_does() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("posix");
    let out = shmlab(&["posix", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let steps = doc["records"].as_array().unwrap();
    let step = |id: &str| steps.iter().find(|s| s["step"] == id).unwrap_or_else(|| panic!("no step {id}"));
    assert!(step("poll")["kernel_shows"].as_str().unwrap().contains("POLLIN POLLOUT"), "poll calls it ready");
    assert_eq!(step("epoll")["errno"], "EPERM", "epoll_ctl refuses a tmpfs file");
    assert!(step("eventfd")["kernel_shows"].as_str().unwrap().contains("the writer's value"));
    assert!(
        step("scm-rights")["kernel_shows"].as_str().unwrap().contains("0x53484d4c41420001"),
        "the receiver read the creator's bytes"
    );
    assert!(step("unrelated-file")["kernel_shows"].as_str().unwrap().contains("0x53484d4c41420002"));
    assert_eq!(step("unsealed-shrink")["signal"], "SIGBUS");
    assert_eq!(step("sealed-shrink")["errno"], "EPERM", "the sealed shrink is refused");
    let blocks = step("touch")["kernel_shows"].as_str().unwrap().to_string();
    assert!(blocks.contains("128 blocks"), "64 KiB touched is 128 blocks of 512 B: {blocks}");
    assert_eq!(snapshot(), before, "the posix lab left objects behind");
}
