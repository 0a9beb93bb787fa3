//! The figures of one run that are worth comparing with other runs, each
//! named by what it measures (the same words in every run), never by the
//! machine, so that the same figure of two runs lines up.

use crate::i18n::{Lang, current};
use crate::model::{AnyRecord, IpcMode, Phase, SuiteDocument, min_median_max};
use crate::report::table::transport_label;
use crate::size::human;
use crate::tr;

/// One figure of one run.
pub struct Figure {
    pub group: &'static str,
    /// Its name in English: the same in every run, whatever its language.
    pub figure: String,
    /// Its name in the language shmlab speaks.
    pub shown: String,
    pub unit: &'static str,
    pub value: f64,
}

/// The name `english` of a figure as shown: itself in English, else the
/// message `shown` makes (the catalogs' English of it is `english` too).
fn shown(english: &str, shown: impl FnOnce() -> String) -> String {
    if current() == Lang::En { english.to_string() } else { shown() }
}

/// Every comparable figure of `doc`'s records, in record order.
pub fn of(doc: &SuiteDocument) -> Vec<Figure> {
    let mut out = Vec::new();
    for r in &doc.records {
        let run = r.run.as_str();
        match &r.record {
            AnyRecord::Racing(r) if !r.protected => {
                if let Some((_, median, _)) = min_median_max(&r.finals) {
                    let figure = format!("{run}: {}, {} children", r.backend, r.children);
                    out.push(Figure {
                        group: "racing",
                        shown: shown(&figure, || {
                            tr!("compare-figure-racing", run = run, backend = r.backend, children = r.children)
                        }),
                        figure,
                        unit: "of expected",
                        value: median.0,
                    });
                }
            }
            AnyRecord::BenchLocks(r) => out.push(Figure {
                group: "locks",
                shown: shown(&format!("{run}: {} with {} process(es)", r.lock, r.procs), || {
                    tr!("compare-figure-locks", run = run, lock = r.lock, procs = r.procs)
                }),
                figure: format!("{run}: {} with {} process(es)", r.lock, r.procs),
                unit: "ns/op",
                value: r.ns_per_op,
            }),
            AnyRecord::Memory(r) => {
                if let Some(touched) = r.phases.iter().find(|p| p.name == Phase::Touched) {
                    let what = format!("{run}: {} {}", r.backend, human(r.size_bytes));
                    for (counter, id, kib) in [
                        ("Shmem", "compare-counter-shmem", touched.counters.shmem),
                        ("free's used", "compare-counter-used", touched.free.used),
                        ("free's shared", "compare-counter-shared", touched.free.shared),
                        ("MemAvailable", "compare-counter-available", touched.free.available),
                    ] {
                        let figure = format!("{what}, {counter} after touch");
                        out.push(Figure {
                            group: "memory",
                            shown: shown(&figure, || {
                                tr!(
                                    "compare-figure-memory",
                                    run = run,
                                    backend = r.backend,
                                    size = human(r.size_bytes),
                                    counter = crate::i18n::t(id)
                                )
                            }),
                            figure,
                            unit: "MiB",
                            value: (kib as f64 / 1024.0).round(),
                        });
                    }
                }
            }
            AnyRecord::ComparePages(r) => {
                if let Some(ms) = r.touch_ms {
                    let figure = format!("{} pages, touch {}", r.pages, human(r.size_bytes));
                    out.push(Figure {
                        group: "pages",
                        shown: shown(&figure, || {
                            tr!("compare-figure-pages", pages = r.pages, size = human(r.size_bytes))
                        }),
                        figure,
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
                    let figure = format!("{run}: {} {}, one-way, {placed}", transport_label(r), human(r.size));
                    let placed_shown = match (r.pinned, r.cpus) {
                        (true, [Some(a), Some(b)]) => tr!("compare-placed-cpus", a = a, b = b),
                        _ => crate::i18n::t("compare-placed-unpinned"),
                    };
                    out.push(Figure {
                        group: "ipc",
                        shown: shown(&figure, || {
                            tr!(
                                "compare-figure-ipc",
                                run = run,
                                transport = transport_label(r),
                                size = human(r.size),
                                placed = placed_shown
                            )
                        }),
                        figure,
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
