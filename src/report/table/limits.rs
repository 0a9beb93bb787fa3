//! The limits table, the check verdict and the demo.

use super::Layout;
use crate::i18n::t;
use crate::model::{Check, Demo, Limits, Request};
use crate::report::grid::Grid;
use crate::size::human;
use crate::tr;

/// A byte limit for people: its size, or for the kernel's "no limit"
/// defaults near 2^64 what it is (`16777216.0 TiB` would mean nothing).
fn bytes_limit(v: u64) -> String {
    const DEFAULT: u64 = u64::MAX - (1 << 24); // ipc/shm.c: SHMMAX = ULONG_MAX - (1UL << 24)
    if v == DEFAULT {
        t("limits-no-limit-default")
    } else if v >= 1 << 62 {
        tr!("limits-no-limit-about", exponent = 64 - v.leading_zeros() - 1)
    } else {
        human(v)
    }
}

/// `1 page`, `3 pages`.
fn pages(n: &str) -> String {
    if n == "1" { t("limits-one-page") } else { tr!("limits-pages", n = n) }
}

fn opt_bytes(v: Option<u64>) -> String {
    v.map(human).unwrap_or_else(|| t("limits-unlimited"))
}

/// The `--check` answer: one sentence, and with `--try` what the kernel said.
fn verdict(c: &Check, width: usize) -> String {
    // The parenthesis names the request; the plain private one keeps the
    // short form of the first --check.
    let mut request = tr!("limits-req-huge", huge = c.huge);
    if c.key != "IPC_PRIVATE" {
        request.push_str(&tr!("limits-req-key", key = c.key));
    }
    let plain = Request::new_private(c.size_bytes, c.huge.0).flags().describe();
    if let Some(flags) = c.flags.as_deref().filter(|f| *f != plain) {
        request.push_str(&tr!("limits-req-flags", flags = flags));
    }
    let mut text = if c.fits {
        tr!("limits-verdict-fits", size = human(c.size_bytes), request = request, why = c.explanation)
    } else {
        tr!(
            "limits-verdict-blocked",
            size = human(c.size_bytes),
            request = request,
            by = c.blocked_by.clone().unwrap_or_default(),
            errno = c.errno.clone().unwrap_or_default(),
            why = c.explanation
        )
    };
    if let Some(said) = &c.kernel_said {
        let call = format!("shmget({}, {}, {})", c.key, c.size_bytes, c.flags.as_deref().unwrap_or("?"));
        let kernel = match (said.as_str(), c.kernel_shmid, c.created) {
            ("ok", Some(id), Some(true)) => tr!("limits-try-created", id = id),
            ("ok", Some(id), _) => tr!("limits-try-existed", id = id),
            (other, _, _) => other.to_string(),
        };
        let mut g = Grid::new(["--try".to_string(), call]).prose(1);
        g.row([t("limits-try-predicted"), c.predicted().to_string()]);
        g.row([t("limits-try-kernel-said"), kernel]);
        g.row([t("limits-try-agree"), t(if c.agrees == Some(true) { "limits-yes" } else { "limits-try-wrong" })]);
        text.push('\n');
        text.push_str(&g.render(width));
    }
    text
}

/// The limits as a list that reads at any width: the name and its value
/// on one line, what it means on the next, under the value.
fn definitions(items: &[(String, String, String)]) -> String {
    let width_of = crate::report::text::width_of;
    let name = items.iter().map(|(n, _, _)| width_of(n)).max().unwrap_or(0);
    let mut text = String::new();
    for (n, value, meaning) in items {
        let pad = name - width_of(n);
        text.push_str(&format!("{n}{:pad$}  {value}\n{:name$}  {meaning}\n", "", ""));
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
    let mut row = |a: &str, v: String, m: String| b.push((a.to_string(), v, m));
    let from = |source: &str| tr!("limits-from", source = source);
    row(
        "kernel.shmmax",
        tr!("limits-shmmax-value", bytes = l.shmmax, meaning = bytes_limit(l.shmmax)),
        t("limits-shmmax-means"),
    );
    let shmall_bytes = if l.shmall_bytes == u64::MAX { t("limits-shmall-no-limit") } else { human(l.shmall_bytes) };
    row(
        "kernel.shmall",
        tr!("limits-shmall-value", pages = l.shmall_pages, bytes = shmall_bytes),
        t("limits-shmall-means"),
    );
    row("kernel.shmmni", l.shmmni.to_string(), t("limits-shmmni-means"));
    row(
        &t("limits-segments-now"),
        tr!("limits-segments-value", segments = l.segments_now, pages = l.shm_pages_in_use),
        from("/proc/sysvipc/shm"),
    );
    row("vm.nr_hugepages", l.nr_hugepages.to_string(), t("limits-nr-hugepages-means"));
    for p in &l.hugepage_pools {
        row(
            &tr!("limits-pool", size = human(p.page_bytes)),
            tr!("limits-pool-value", nr = p.nr, free = p.free, reserved = p.reserved, surplus = p.surplus),
            from("/sys/kernel/mm/hugepages"),
        );
    }
    row("vm.hugetlb_shm_group", l.hugetlb_shm_group.to_string(), t("limits-hugetlb-group-means"));
    row("kernel.shm_rmid_forced", l.shm_rmid_forced.to_string(), t("limits-rmid-forced-means"));
    row(
        "/dev/shm",
        tr!("limits-dev-shm-value", used = human(l.dev_shm_used_bytes), size = human(l.dev_shm_size_bytes)),
        t("limits-dev-shm-means"),
    );
    row(
        "RLIMIT_MEMLOCK",
        tr!("limits-memlock-value", soft = opt_bytes(l.memlock_soft), hard = opt_bytes(l.memlock_hard)),
        t("limits-memlock-means"),
    );
    row(
        "kernel.sem",
        format!("{} {} {} {}", l.sem_per_set, l.sem_total, l.sem_ops_per_call, l.sem_sets_max),
        t("limits-sem-means"),
    );
    row(&t("limits-sem-sets-now"), l.sem_sets_now.to_string(), from("/proc/sysvipc/sem"));
    // With --check, the verdict is the answer; the table is only shown without it.
    let mut text = if check.is_some() { String::new() } else { definitions(&b) };
    if let Some(c) = check {
        text.push_str(&verdict(c, layout.width));
    }
    if !demo.is_empty() {
        let mut d = Grid::new([
            t("limits-col-limit"),
            t("limits-col-was"),
            t("limits-col-lowered-to"),
            t("limits-col-asked-for"),
            t("limits-col-expected"),
            t("limits-col-kernel-said"),
            t("limits-col-restored"),
        ]);
        for x in demo {
            d.row([
                x.limit.clone(),
                if x.limit == "kernel.shmall" { pages(&x.was) } else { x.was.clone() },
                if x.limit == "kernel.shmall" { pages(&x.lowered_to) } else { x.lowered_to.clone() },
                human(x.request_bytes),
                x.expected_errno.clone(),
                x.kernel_said.clone(),
                t(if x.restored { "limits-yes" } else { "limits-no" }),
            ]);
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&t("limits-demo-title"));
        text.push('\n');
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
    let mut text = format!("\n\n{}\n", t("limits-refusals-title"));
    for r in refusals {
        let id = if r.kernel_said == r.expected_errno { "limits-refusal-said" } else { "limits-refusal-unexpected" };
        let said = tr!(id, said = r.kernel_said, expected = r.expected_errno);
        text.push_str(&format!("- {}\n  {}\n  {said}\n  → {}\n", r.case, r.call, r.explanation));
    }
    layout.wrap(text.trim_end())
}
