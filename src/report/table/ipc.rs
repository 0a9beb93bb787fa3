//! The IPC benchmark's tables: latency, then throughput, one row per
//! transport and message size, and what the figures mean.

use super::Layout;
use crate::ipc::Transport;
use crate::model::{IpcMode, IpcRecord};
use crate::report::grid::Grid;
use crate::size::human;

impl crate::report::Render for IpcRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        bench_ipc(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        vec![crate::report::Chart {
            file: "ipc.svg",
            title: "Latency and throughput against message size",
            svg: crate::report::chart::ipc(records),
        }]
    }
}

/// `pipe`, `shm/spin`, `shm/futex 0-copy`.
pub fn transport_label(r: &IpcRecord) -> String {
    match (r.transport, r.wake) {
        (Transport::Shm, Some(w)) => format!("shm/{w}{}", if r.zero_copy { " 0-copy" } else { "" }),
        (t, _) => t.to_string(),
    }
}

fn ns(v: f64) -> String {
    if v >= 100_000.0 {
        format!("{:.0} us", v / 1000.0)
    } else if v >= 1000.0 {
        format!("{:.2} us", v / 1000.0)
    } else {
        format!("{v:.0} ns")
    }
}

fn rate(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn cpus(r: &IpcRecord) -> String {
    let one = |c: Option<u32>| c.map_or("?".to_string(), |c| c.to_string());
    format!("{},{}{}", one(r.cpus[0]), one(r.cpus[1]), if r.pinned { " pinned" } else { "" })
}

fn bench_ipc(records: &[IpcRecord], layout: Layout) -> String {
    let mut parts = Vec::new();
    let latency: Vec<&IpcRecord> = records.iter().filter(|r| r.mode == IpcMode::Latency).collect();
    if !latency.is_empty() {
        let mut grid = Grid::new(["transport", "size", "one-way median", "p99", "syscalls/msg", "CPUs A,B"]).keys(2);
        for r in latency {
            match (&r.skipped, r.one_way_ns) {
                (Some(_), _) => {
                    grid.row([transport_label(r), human(r.size), "skipped".into(), "".into(), "".into(), "".into()])
                }
                (None, Some(s)) => grid.row([
                    transport_label(r),
                    human(r.size),
                    ns(s.median),
                    ns(s.p99),
                    r.syscalls_per_msg.map_or(String::new(), |c| format!("{c:.1}")),
                    cpus(r),
                ]),
                (None, None) => {}
            }
        }
        parts.push(format!("Latency (ping-pong; one-way = half a round trip)\n{}", grid.render(layout.width)));
    }
    let throughput: Vec<&IpcRecord> = records.iter().filter(|r| r.mode == IpcMode::Throughput).collect();
    if !throughput.is_empty() {
        let mut grid = Grid::new(["transport", "size", "msg/s", "GiB/s", "syscalls/msg", "CPUs A,B"]).keys(2);
        for r in throughput {
            match (&r.skipped, r.bytes_per_s) {
                (Some(_), _) => {
                    grid.row([transport_label(r), human(r.size), "skipped".into(), "".into(), "".into(), "".into()])
                }
                (None, Some(b)) => grid.row([
                    transport_label(r),
                    human(r.size),
                    rate(r.msgs_per_s.unwrap_or(0.0)),
                    format!("{:.2}", b / f64::from(1u32 << 30)),
                    r.syscalls_per_msg.map_or(String::new(), |c| format!("{c:.1}")),
                    if r.transport == Transport::Memcpy { "one process".into() } else { cpus(r) },
                ]),
                (None, None) => {}
            }
        }
        parts.push(format!("Throughput (a stream from A to B)\n{}", grid.render(layout.width)));
    }
    let mut skipped: Vec<String> = Vec::new();
    for r in records {
        if let Some(why) = &r.skipped {
            let line = format!("- {} {}: {why}", transport_label(r), human(r.size));
            if !skipped.contains(&line) {
                skipped.push(line);
            }
        }
    }
    if !skipped.is_empty() {
        parts.push(format!("Skipped:\n{}", skipped.join("\n")));
    }
    let mut text = parts.join("\n\n");
    text.push_str(
        "\n\nEvery message is checked byte for byte by its receiver. A pipe, a socket or a message queue costs two \
         copies (into the kernel and out of it) and two system calls per message (more when a large message \
         takes several reads and writes), and waking the receiver costs a \
         scheduler wake-up. The shared-memory ring (shm) copies the message into the shared mapping and out of it \
         again (0-copy: written and checked in place, no copy at all) and makes no system call when it spins: a \
         message then costs the transfer of its cache lines from one CPU to the other. With futex or eventfd the \
         waiting side sleeps, so each message pays a system call and a wake-up again: shared memory saves the \
         copies, not the cost of waking a sleeper. memcpy is the copy ceiling of this machine, within one process. \
         A one-way time is half a round trip, timed over batches of round trips (batch in the JSON) so that \
         reading the clock does not count; p99 is the 99th percentile of those batches.",
    );
    layout.wrap(&text)
}
