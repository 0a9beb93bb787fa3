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
            for (label, rows) in [("inside", &r.inside), ("host", &r.outside)] {
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
            text.push('\n');
        }
    }
    text.trim_end().to_string()
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
