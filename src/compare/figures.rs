//! The figures of one run that are worth comparing with other runs, each
//! named by what it measures (the same words in every run), never by the
//! machine, so that the same figure of two runs lines up.

use crate::model::{AnyRecord, IpcMode, Phase, SuiteDocument, min_median_max};
use crate::report::table::transport_label;
use crate::size::human;

/// One figure of one run.
pub struct Figure {
    pub group: &'static str,
    pub figure: String,
    pub unit: &'static str,
    pub value: f64,
}

/// Every comparable figure of `doc`'s records, in record order.
pub fn of(doc: &SuiteDocument) -> Vec<Figure> {
    let mut out = Vec::new();
    for r in &doc.records {
        let run = r.run.as_str();
        match &r.record {
            AnyRecord::Racing(r) if !r.protected => {
                if let Some((_, median, _)) = min_median_max(&r.finals) {
                    out.push(Figure {
                        group: "racing",
                        figure: format!("{run}: {}, {} children", r.backend, r.children),
                        unit: "of expected",
                        value: median.0,
                    });
                }
            }
            AnyRecord::BenchLocks(r) => out.push(Figure {
                group: "locks",
                figure: format!("{run}: {} with {} process(es)", r.lock, r.procs),
                unit: "ns/op",
                value: r.ns_per_op,
            }),
            AnyRecord::Memory(r) => {
                if let Some(touched) = r.phases.iter().find(|p| p.name == Phase::Touched) {
                    let what = format!("{run}: {} {}", r.backend, human(r.size_bytes));
                    for (counter, kib) in [
                        ("Shmem", touched.counters.shmem),
                        ("free's used", touched.free.used),
                        ("free's shared", touched.free.shared),
                        ("MemAvailable", touched.free.available),
                    ] {
                        out.push(Figure {
                            group: "memory",
                            figure: format!("{what}, {counter} after touch"),
                            unit: "MiB",
                            value: (kib as f64 / 1024.0).round(),
                        });
                    }
                }
            }
            AnyRecord::ComparePages(r) => {
                if let Some(ms) = r.touch_ms {
                    out.push(Figure {
                        group: "pages",
                        figure: format!("{} pages, touch {}", r.pages, human(r.size_bytes)),
                        unit: "ms",
                        value: ms,
                    });
                }
            }
            AnyRecord::BenchIpc(r) if r.mode == IpcMode::Latency => {
                if let Some(s) = r.one_way_ns {
                    // Where the two sides ran decides the figure (a cache line's trip between CPUs).
                    let placed = match (r.pinned, r.cpus) {
                        (true, [Some(a), Some(b)]) => format!("CPUs {a},{b}"),
                        _ => "unpinned".to_string(),
                    };
                    out.push(Figure {
                        group: "ipc",
                        figure: format!("{run}: {} {}, one-way, {placed}", transport_label(r), human(r.size)),
                        unit: "ns",
                        value: s.median,
                    });
                }
            }
            _ => {}
        }
    }
    out
}
