//! The container lab's observations, step by step: the call, what the
//! kernel showed (with the /proc/sysvipc/shm rows inside and outside where
//! the step is about visibility), what it means; the cgroup step's charges
//! as a table.

use super::Layout;
use crate::i18n::t;
use crate::model::{ContainerRecord, ContainerStep};
use crate::report::grid::Grid;
use crate::tr;

impl crate::report::Render for ContainerRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        container(records, layout)
    }

    fn charts(records: &[Self]) -> Vec<crate::report::Chart> {
        if !records.iter().any(|r| r.charge.is_some()) {
            return Vec::new();
        }
        vec![crate::report::Chart {
            file: "container-charge.svg",
            title: crate::i18n::t("chart-charge-title"),
            svg: crate::report::chart::charge::cgroup_charge(records),
        }]
    }
}

fn container(records: &[ContainerRecord], layout: Layout) -> String {
    let mut text = String::new();
    for step in ContainerStep::ALL {
        let of_step: Vec<&ContainerRecord> = records.iter().filter(|r| r.step == step).collect();
        let Some(first) = of_step.first() else { continue };
        if let Some(why) = &first.skipped {
            text.push_str(&layout.wrap(&format!("{}\n\n", tr!("container-skipped", step = step.name(), why = why))));
            continue;
        }
        text.push_str(&format!("{}\n\n", tr!("container-step-as", step = step.name(), who = first.privilege)));
        let mut prose = String::new();
        for r in &of_step {
            prose.push_str(&format!(
                "{}\n",
                tr!("container-observation", id = r.id, place = r.place_in_words(), call = r.call)
            ));
            prose.push_str(&format!("        {}\n", tr!("container-kernel", shows = r.kernel_shows)));
            for (label, rows) in [("container-rows-inside", &r.inside), ("container-rows-on-host", &r.outside)] {
                if let Some(rows) = rows {
                    let shown = if rows.is_empty() { t("container-rows-none") } else { rows.join("; ") };
                    prose.push_str(&format!("        {}\n", tr!(label, rows = shown)));
                }
            }
            prose.push_str(&format!("        → {}\n\n", r.lesson));
        }
        text.push_str(&layout.wrap(&prose));
        if of_step.iter().any(|r| r.charge.is_some()) {
            text.push_str(&charges(&of_step, layout));
            text.push_str("\n\n");
        }
        if let Some(reading) = reading(step, &of_step) {
            text.push_str(&layout.wrap(&format!("{}\n\n", tr!("container-reading", reading = reading))));
        }
    }
    text.trim_end().to_string()
}

/// The step in one paragraph, from its observations; `None` if one it
/// needs is missing (a step that failed half-way).
fn reading(step: ContainerStep, records: &[&ContainerRecord]) -> Option<String> {
    let find = |id: &str| records.iter().find(|r| r.id == id).copied();
    let size = |r: &ContainerRecord| r.size.map(crate::size::human).unwrap_or_default();
    let reached = |r: &ContainerRecord| r.reached.map(crate::size::human).unwrap_or_default();
    let ended = |r: &ContainerRecord| match &r.signal {
        Some(signal) => tr!("container-reading-killed", signal = signal, reached = reached(r)),
        None => tr!("container-reading-touched-all", reached = reached(r)),
    };
    let seen = |r: &ContainerRecord| {
        t(if r.exists == Some(true) { "container-reading-did" } else { "container-reading-did-not" })
    };
    // Whatever the last observation showed after "the namespace is gone; ".
    let gone = crate::tr!("container-namespace-gone", detail = "");
    Some(match step {
        ContainerStep::IpcNamespace => {
            let (lookup, second, two, own, host, last) = (
                find("host-lookup")?,
                find("same-key-other-namespace")?,
                find("two-segments")?,
                find("posix-own-tmpfs")?,
                find("posix-host-mount")?,
                find("last-process-exits")?,
            );
            tr!(
                "container-reading-ipc-namespace",
                errno = lookup.errno.clone().unwrap_or_else(|| t("container-reading-found")),
                created = t(if second.exists == Some(true) {
                    "container-reading-created"
                } else {
                    "container-reading-did-not-create"
                }),
                read = t(if two.exists == Some(true) {
                    "container-reading-still-read"
                } else {
                    "container-reading-no-longer-read"
                }),
                own = seen(own),
                host = seen(host),
                last = last.kernel_shows.trim_start_matches(gone.as_str())
            )
        }
        ContainerStep::DevShmSize => {
            let (mount, touch, fallocate, xsi) = (find("mount")?, find("touch")?, find("fallocate")?, find("xsi")?);
            tr!(
                "container-reading-dev-shm-size",
                size = size(touch),
                tmpfs = size(mount),
                touch = ended(touch),
                errno = fallocate.errno.clone().unwrap_or_else(|| t("container-reading-nothing")),
                xsi = ended(xsi)
            )
        }
        ContainerStep::CgroupCharge => {
            let shmem = |id: &str, b: bool| {
                find(id).and_then(|r| r.charge).map(|c| crate::size::human(if b { c.b_shmem } else { c.a_shmem }))
            };
            let past = find("past-limit")?;
            tr!(
                "container-reading-cgroup-charge",
                touched = shmem("touched", false)?,
                exited = shmem("toucher-exited", false)?,
                read = shmem("read-from-b", true)?,
                removed = shmem("removed", false)?,
                past = ended(past),
                kills = past.charge?.a_oom_kills
            )
        }
        ContainerStep::RmidForced => {
            let gone = |id: &str| {
                find(id).map(|r| {
                    t(if r.exists == Some(false) { "container-reading-went" } else { "container-reading-stayed" })
                })
            };
            tr!(
                "container-reading-rmid-forced",
                off_creator = gone("off-creator-exits")?,
                off_detach = gone("off-last-detach")?,
                turn_on = gone("turn-on")?,
                on_creator = gone("on-creator-exits")?,
                on_detach = gone("on-last-detach")?,
                // host-unchanged compares the host's value before and after.
                host = t(if find("host-unchanged")?.unexpected() {
                    "container-reading-changed"
                } else {
                    "container-reading-did-not-change"
                })
            )
        }
    })
}

/// The cgroup step's charges after each action, in MiB.
fn charges(records: &[&ContainerRecord], layout: Layout) -> String {
    let mib = |b: u64| format!("{:.1}", b as f64 / f64::from(1u32 << 20));
    let headers = ["after", "a-charged", "a-shmem", "b-charged", "b-shmem", "a-oom-kills"];
    let mut grid = Grid::new(headers.map(|h| t(&format!("container-column-{h}")))).titled(t("container-charges-title"));
    for r in records {
        if let Some(c) = r.charge {
            grid.row([
                r.id.clone(),
                mib(c.a_charged),
                mib(c.a_shmem),
                mib(c.b_charged),
                mib(c.b_shmem),
                c.a_oom_kills.to_string(),
            ]);
        }
    }
    grid.render(layout.width)
}
