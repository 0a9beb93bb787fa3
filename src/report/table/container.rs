//! The container lab's observations, step by step: the call, what the
//! kernel showed (with the /proc/sysvipc/shm rows inside and outside where
//! the step is about visibility), what it means; the cgroup step's charges
//! as a table.

use super::Layout;
use crate::model::{ContainerRecord, ContainerStep};
use crate::report::grid::Grid;

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
            title: crate::report::chart::charge::TITLE,
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
            text.push_str(&layout.wrap(&format!("{}: skipped: {why}\n\n", step.name())));
            continue;
        }
        text.push_str(&format!("{} (as {})\n\n", step.name(), first.privilege));
        let mut prose = String::new();
        for r in &of_step {
            prose.push_str(&format!("{} [{}]: {}\n", r.id, r.place, r.call));
            prose.push_str(&format!("        kernel: {}\n", r.kernel_shows));
            for (label, rows) in [("rows inside", &r.inside), ("rows on host", &r.outside)] {
                if let Some(rows) = rows {
                    let shown = if rows.is_empty() { "(none)".to_string() } else { rows.join("; ") };
                    prose.push_str(&format!("        {label}: {shown}\n"));
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
            text.push_str(&layout.wrap(&format!("Reading: {reading}\n\n")));
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
        Some(signal) => format!("was killed by {signal} after {}", reached(r)),
        None => format!("touched all {}", reached(r)),
    };
    let seen = |r: &ContainerRecord| if r.exists == Some(true) { "did" } else { "did not" };
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
            format!(
                "the host's shmget found nothing for the key namespace A used ({}); namespace B {} a second \
                 segment with the same key under IPC_EXCL, and A {} its own value afterwards. POSIX names are \
                 files: the host {} see the one in A's own /dev/shm and {} see B's, made with the host's mounts. \
                 When A's last process exited, {}.",
                lookup.errno.as_deref().unwrap_or("found"),
                if second.exists == Some(true) { "created" } else { "did not create" },
                if two.exists == Some(true) { "still read" } else { "no longer read" },
                seen(own),
                seen(host),
                last.kernel_shows.trim_start_matches("the namespace is gone; ")
            )
        }
        ContainerStep::DevShmSize => {
            let (mount, touch, fallocate, xsi) = (find("mount")?, find("touch")?, find("fallocate")?, find("xsi")?);
            format!(
                "a {} POSIX object was sized and mapped in a {} /dev/shm without complaint; the child that \
                 touched it {}; posix_fallocate of the same size said {} up front; a SysV segment as large was \
                 not on /dev/shm at all, and its child {}. A bigger tmpfs, or a file on another file system, \
                 holds the whole object.",
                size(touch),
                size(mount),
                ended(touch),
                fallocate.errno.as_deref().unwrap_or("nothing"),
                ended(xsi)
            )
        }
        ContainerStep::CgroupCharge => {
            let shmem = |id: &str, b: bool| {
                find(id).and_then(|r| r.charge).map(|c| crate::size::human(if b { c.b_shmem } else { c.a_shmem }))
            };
            let past = find("past-limit")?;
            format!(
                "cgroup A was charged {} of shared memory for the pages its child touched, and still {} after \
                 the child exited; cgroup B, whose child read every page, was charged {} of it. Removing the \
                 segment left A {}. Past the limit, A's next toucher {}, and A's OOM kill count was {}.",
                shmem("touched", false)?,
                shmem("toucher-exited", false)?,
                shmem("read-from-b", true)?,
                shmem("removed", false)?,
                ended(past),
                past.charge?.a_oom_kills
            )
        }
        ContainerStep::RmidForced => {
            let gone = |id: &str| find(id).map(|r| if r.exists == Some(false) { "went" } else { "stayed" });
            format!(
                "with shm_rmid_forced=0 a segment {} after its creator exited and {} after its last detach; \
                 turning the setting on, the orphans {} at once; with 1, a segment {} with its creator and \
                 another {} at its last detach while its creator still ran. The host's value {}.",
                gone("off-creator-exits")?,
                gone("off-last-detach")?,
                gone("turn-on")?,
                gone("on-creator-exits")?,
                gone("on-last-detach")?,
                // host-unchanged compares the host's value before and after.
                if find("host-unchanged")?.lesson.starts_with("UNEXPECTED") { "changed" } else { "did not change" }
            )
        }
    })
}

/// The cgroup step's charges after each action, in MiB.
fn charges(records: &[&ContainerRecord], layout: Layout) -> String {
    let mib = |b: u64| format!("{:.1}", b as f64 / f64::from(1u32 << 20));
    let mut grid = Grid::new(["after", "A charged", "A shmem", "B charged", "B shmem", "A OOM kills"])
        .titled("The two cgroups after each action, in MiB");
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
