//! The limits table, the check verdict and the demo.

use super::Layout;
use crate::model::{Check, Demo, Limits, Request};
use crate::report::grid::Grid;
use crate::size::human;

/// A byte limit for people: its size, or for the kernel's "no limit"
/// defaults near 2^64 what it is (`16777216.0 TiB` would mean nothing).
fn bytes_limit(v: u64) -> String {
    const DEFAULT: u64 = u64::MAX - (1 << 24); // ipc/shm.c: SHMMAX = ULONG_MAX - (1UL << 24)
    if v == DEFAULT {
        "no limit: 2^64 − 2^24 − 1 bytes, the default since Linux 3.16".into()
    } else if v >= 1 << 62 {
        format!("no limit in practice: about 2^{} bytes", 64 - v.leading_zeros() - 1)
    } else {
        human(v)
    }
}

/// `1 page`, `3 pages`.
fn pages(n: &str) -> String {
    if n == "1" { "1 page".to_string() } else { format!("{n} pages") }
}

fn opt_bytes(v: Option<u64>) -> String {
    v.map(human).unwrap_or_else(|| "unlimited".into())
}

/// The `--check` answer: one sentence, and with `--try` what the kernel said.
fn verdict(c: &Check, width: usize) -> String {
    // The parenthesis names the request; the plain private one keeps the
    // short form of the first --check.
    let mut request = format!("huge {}", c.huge);
    if c.key != "IPC_PRIVATE" {
        request.push_str(&format!(", key {}", c.key));
    }
    let plain = Request::new_private(c.size_bytes, c.huge.0).flags().describe();
    if let Some(flags) = c.flags.as_deref().filter(|f| *f != plain) {
        request.push_str(&format!(", {flags}"));
    }
    let mut text = if c.fits {
        format!("--check {} ({request}): fits: {}", human(c.size_bytes), c.explanation)
    } else {
        format!(
            "--check {} ({request}): does NOT fit: {} stops it, shmget would return {}. {}",
            human(c.size_bytes),
            c.blocked_by.clone().unwrap_or_default(),
            c.errno.clone().unwrap_or_default(),
            c.explanation
        )
    };
    if let Some(said) = &c.kernel_said {
        let call = format!("shmget({}, {}, {})", c.key, c.size_bytes, c.flags.as_deref().unwrap_or("?"));
        let kernel = match (said.as_str(), c.kernel_shmid, c.created) {
            ("ok", Some(id), Some(true)) => format!("ok: shmid {id} (created, removed again)"),
            ("ok", Some(id), _) => format!("ok: shmid {id} (it existed; left alone)"),
            (other, _, _) => other.to_string(),
        };
        let mut t = Grid::new(["--try", &call]).prose(1);
        t.row(["predicted", c.predicted()]);
        t.row(["kernel said", &kernel]);
        t.row(["agree", if c.agrees == Some(true) { "yes" } else { "NO: the prediction is wrong" }]);
        text.push('\n');
        text.push_str(&t.render(width));
    }
    text
}

/// The limits as a list that reads at any width: the name and its value
/// on one line, what it means on the next, under the value.
fn definitions(items: &[(String, String, String)]) -> String {
    let name = items.iter().map(|(n, _, _)| n.chars().count()).max().unwrap_or(0);
    let mut text = String::new();
    for (n, value, meaning) in items {
        text.push_str(&format!("{n:<name$}  {value}\n{:name$}  {meaning}\n", ""));
    }
    text.pop();
    text
}

impl crate::report::Render for crate::model::LimitsRecord {
    fn text(records: &[Self], layout: Layout) -> String {
        records
            .iter()
            .map(|r| limits(&r.limits, r.check.as_deref(), &r.demo, layout) + &refusals(&r.refusals, layout))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

fn limits(l: &Limits, check: Option<&Check>, demo: &[Demo], layout: Layout) -> String {
    let mut b = Vec::new();
    let mut row = |a: &str, v: String, m: &str| b.push((a.to_string(), v, m.to_string()));
    row(
        "kernel.shmmax",
        format!("{} ({})", l.shmmax, bytes_limit(l.shmmax)),
        "largest single SysV segment (EINVAL above)",
    );
    let shmall_bytes = if l.shmall_bytes == u64::MAX {
        "more than 2^64 bytes: no limit in practice".to_string()
    } else {
        human(l.shmall_bytes)
    };
    row(
        "kernel.shmall",
        format!("{} pages = {shmall_bytes}", l.shmall_pages),
        "all SysV segments together, in pages (ENOSPC above)",
    );
    row("kernel.shmmni", l.shmmni.to_string(), "how many SysV segments may exist (ENOSPC at the limit)");
    row("segments now", format!("{} using {} pages", l.segments_now, l.shm_pages_in_use), "from /proc/sysvipc/shm");
    row("vm.nr_hugepages", l.nr_hugepages.to_string(), "2 MiB huge pages in the pool (reserved up front)");
    for p in &l.hugepage_pools {
        row(
            &format!("pool {}", human(p.page_bytes)),
            format!("{} total, {} free, {} reserved, {} surplus", p.nr, p.free, p.reserved, p.surplus),
            "from /sys/kernel/mm/hugepages",
        );
    }
    row("vm.hugetlb_shm_group", l.hugetlb_shm_group.to_string(), "group allowed SHM_HUGETLB without CAP_IPC_LOCK");
    row("kernel.shm_rmid_forced", l.shm_rmid_forced.to_string(), "1: the last detach destroys a segment");
    row(
        "/dev/shm",
        format!("{} used of {}", human(l.dev_shm_used_bytes), human(l.dev_shm_size_bytes)),
        "tmpfs for POSIX shm_open and named semaphores",
    );
    row(
        "RLIMIT_MEMLOCK",
        format!("soft {}, hard {}", opt_bytes(l.memlock_soft), opt_bytes(l.memlock_hard)),
        "how much a process may lock (SHM_LOCK, mlock)",
    );
    row(
        "kernel.sem",
        format!("{} {} {} {}", l.sem_per_set, l.sem_total, l.sem_ops_per_call, l.sem_sets_max),
        "SEMMSL per set, SEMMNS total, SEMOPM per semop, SEMMNI sets",
    );
    row("semaphore sets now", l.sem_sets_now.to_string(), "from /proc/sysvipc/sem");
    // With --check, the verdict is the answer; the table is only shown without it.
    let mut text = if check.is_some() { String::new() } else { definitions(&b) };
    if let Some(c) = check {
        text.push_str(&verdict(c, layout.width));
    }
    if !demo.is_empty() {
        let mut d = Grid::new(["limit", "was", "lowered to", "asked for", "expected", "kernel said", "restored"]);
        for x in demo {
            d.row([
                x.limit.clone(),
                if x.limit == "kernel.shmall" { pages(&x.was) } else { x.was.clone() },
                if x.limit == "kernel.shmall" { pages(&x.lowered_to) } else { x.lowered_to.clone() },
                human(x.request_bytes),
                x.expected_errno.clone(),
                x.kernel_said.clone(),
                if x.restored { "yes" } else { "NO" }.to_string(),
            ]);
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Each limit lowered for a moment (for this whole IPC namespace) and restored:\n");
        text.push_str(&d.render(layout.width));
    }
    layout.wrap(&text)
}

/// The refusals anyone can cause, one paragraph each: the call, the errno
/// expected and the one the kernel returned, and why.
fn refusals(refusals: &[crate::model::Refusal], layout: Layout) -> String {
    if refusals.is_empty() {
        return String::new();
    }
    let mut text = String::from("\n\nThe kernel's own refusals, caused for real on shmlab's objects:\n");
    for r in refusals {
        let mark = if r.kernel_said == r.expected_errno { "" } else { " (UNEXPECTED)" };
        text.push_str(&format!(
            "- {}\n  {}\n  kernel said {}, expected {}{mark}\n  → {}\n",
            r.case, r.call, r.kernel_said, r.expected_errno, r.explanation
        ));
    }
    layout.wrap(text.trim_end())
}
