//! The limits table, the check verdict and the demo.

use tabled::builder::Builder;

use super::render;
use crate::experiment::limits::{Check, Demo, Limits};
use crate::size::human;

/// `1 page`, `3 pages`.
fn pages(n: &str) -> String {
    if n == "1" { "1 page".to_string() } else { format!("{n} pages") }
}

fn opt_bytes(v: Option<u64>) -> String {
    v.map(human).unwrap_or_else(|| "unlimited".into())
}

pub fn limits(l: &Limits, check: Option<&Check>, demo: &[Demo]) -> String {
    let mut b = Builder::default();
    b.push_record(["limit", "value", "what it means"]);
    let mut row = |a: &str, v: String, m: &str| b.push_record([a.to_string(), v, m.to_string()]);
    row("kernel.shmmax", format!("{} ({})", l.shmmax, human(l.shmmax)), "largest single SysV segment (EINVAL above)");
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
    row("kernel.shm_rmid_forced", l.shm_rmid_forced.to_string(), "1: segments die with their last process");
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
    let mut text = if check.is_some() { String::new() } else { render(b) };
    if let Some(c) = check {
        let verdict = if c.fits {
            format!("--check {} (huge {}): fits: {}", human(c.size_bytes), c.huge, c.explanation)
        } else {
            format!(
                "--check {} (huge {}): does NOT fit: {} stops it, shmget would return {}. {}",
                human(c.size_bytes),
                c.huge,
                c.blocked_by.clone().unwrap_or_default(),
                c.errno.clone().unwrap_or_default(),
                c.explanation
            )
        };
        text.push_str(&verdict);
    }
    if !demo.is_empty() {
        let mut d = Builder::default();
        d.push_record(["limit", "was", "lowered to", "asked for", "expected", "kernel said", "restored"]);
        for x in demo {
            d.push_record([
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
        text.push_str("The kernel's refusals, for real:\n");
        text.push_str(&render(d));
    }
    text
}
