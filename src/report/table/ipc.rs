//! The IPC benchmark's tables: latency, then throughput, one row per
//! transport and message size, and what the figures mean.

use super::Layout;
use crate::i18n::t;
use crate::ipc::Transport;
use crate::model::{IpcMode, IpcRecord};
use crate::report::grid::Grid;
use crate::size::human;

impl crate::report::Render for IpcRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        bench_ipc(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        vec![crate::report::Chart { file: "ipc.svg", title: t("ipc-chart"), svg: crate::report::chart::ipc(records) }]
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
    let pinned = if r.pinned { t("ipc-pinned") } else { String::new() };
    format!("{},{}{pinned}", one(r.cpus[0]), one(r.cpus[1]))
}

fn bench_ipc(records: &[IpcRecord], layout: Layout) -> String {
    let mut parts = Vec::new();
    let latency: Vec<&IpcRecord> = records.iter().filter(|r| r.mode == IpcMode::Latency).collect();
    if !latency.is_empty() {
        let mut grid = Grid::new(
            ["ipc-transport", "ipc-size", "ipc-one-way-median", "ipc-p99", "ipc-syscalls", "ipc-cpus"].map(t),
        )
        .keys(2);
        for r in latency {
            match (&r.skipped, r.one_way_ns) {
                (Some(_), _) => {
                    grid.row([transport_label(r), human(r.size), t("ipc-skipped"), "".into(), "".into(), "".into()])
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
        parts.push(format!("{}\n{}", t("ipc-latency-title"), grid.render(layout.width)));
    }
    let throughput: Vec<&IpcRecord> = records.iter().filter(|r| r.mode == IpcMode::Throughput).collect();
    if !throughput.is_empty() {
        let mut grid =
            Grid::new(["ipc-transport", "ipc-size", "ipc-msg-rate", "ipc-gib-rate", "ipc-syscalls", "ipc-cpus"].map(t))
                .keys(2);
        for r in throughput {
            match (&r.skipped, r.bytes_per_s) {
                (Some(_), _) => {
                    grid.row([transport_label(r), human(r.size), t("ipc-skipped"), "".into(), "".into(), "".into()])
                }
                (None, Some(b)) => grid.row([
                    transport_label(r),
                    human(r.size),
                    rate(r.msgs_per_s.unwrap_or(0.0)),
                    format!("{:.2}", b / f64::from(1u32 << 30)),
                    r.syscalls_per_msg.map_or(String::new(), |c| format!("{c:.1}")),
                    if r.transport == Transport::Memcpy { t("ipc-one-process") } else { cpus(r) },
                ]),
                (None, None) => {}
            }
        }
        parts.push(format!("{}\n{}", t("ipc-throughput-title"), grid.render(layout.width)));
    }
    let mut skipped: Vec<String> = Vec::new();
    for r in records {
        if let Some(why) = &r.skipped {
            let line = format!("- {} {}{}{why}", transport_label(r), human(r.size), t("label-colon"));
            if !skipped.contains(&line) {
                skipped.push(line);
            }
        }
    }
    if !skipped.is_empty() {
        parts.push(format!("{}\n{}", t("ipc-skipped-title"), skipped.join("\n")));
    }
    let mut text = parts.join("\n\n");
    text.push_str(&format!("\n\n{}", t("ipc-reading")));
    layout.wrap(&text)
}
