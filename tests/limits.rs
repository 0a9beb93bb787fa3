//! `limits --check ... --try` against the real kernel: for sizes around each
//! limit, and for the cases of LTP's shmget02/shmget03 (ENOENT, EEXIST,
//! EINVAL below SHMMIN, above SHMMAX and larger than an existing segment,
//! EACCES, EPERM, ENOMEM, ENOSPC), the prediction must be what shmget
//! really returns.
//!
//! Every case runs in fresh private namespaces (`in_private_namespaces`),
//! whose kernel.shmmax/shmall/shmmni belong to that IPC namespace alone, so
//! the host's limits and segments are never touched. The huge page pool is
//! machine-wide: only one test raises it, as root, and a guard puts it back
//! however the test ends. All tests take the serial lock, because they read
//! machine-wide counters (the pool, /proc/meminfo) for their expectations.

mod common;

use common::*;

/// Shell helpers for the cases' setup. Exit 77: this namespace does not let
/// us change a limit; 78: no ipcmk (util-linux) to make a segment.
const HELPERS: &str = r#"
knob() { echo "$2" > /proc/sys/kernel/$1 2>/dev/null || exit 77; [ "$(cat /proc/sys/kernel/$1)" = "$2" ] || exit 77; }
seg() { command -v ipcmk >/dev/null || exit 78; ipcmk -M "$1" -p "${2:-600}" >/dev/null || exit 78; }
lastkey() { awk 'NR>1 && $1 != 0 {k=$1} END {print k}' /proc/sysvipc/shm; }
"#;

const NOBODY: &str = "setpriv --reuid=65534 --regid=65534 --clear-groups";

/// One shmget call to predict and try.
struct Case {
    name: &'static str,
    /// Shell commands run first, inside the namespace (may use `$KEY` after `KEY=$(lastkey)`).
    setup: &'static str,
    /// What follows `limits --check`.
    args: String,
    /// Run shmlab as user nobody (setpriv), in the same namespace.
    as_nobody: bool,
    /// What the kernel must say (`ok` or an errno), and the limit named.
    expect: (String, Option<&'static str>),
}

fn case(name: &'static str, setup: &'static str, args: impl Into<String>, expect: &str, limit: &'static str) -> Case {
    let limit = if limit.is_empty() { None } else { Some(limit) };
    Case { name, setup, args: args.into(), as_nobody: false, expect: (expect.to_string(), limit) }
}

fn as_nobody(mut c: Case) -> Case {
    c.as_nobody = true;
    c
}

/// Runs one case; `Err` is why it cannot run here (then it is skipped).
fn run(test: &str, c: &Case) -> Result<serde_json::Value, String> {
    if c.as_nobody && (!is_root() || !std::path::Path::new("/usr/bin/setpriv").exists()) {
        return Err("needs root and setpriv to run shmlab as nobody inside the namespace".into());
    }
    let runner = if c.as_nobody { NOBODY } else { "" };
    let script = format!("{HELPERS}\n{}\n{runner} \"$SHMLAB\" limits --check {} --try --json -", c.setup, c.args);
    let out = in_private_namespaces(&script)?;
    match out.status.code() {
        Some(77) => return Err("cannot change kernel.shm* inside this namespace".into()),
        Some(78) => return Err("no ipcmk (util-linux) to make a segment".into()),
        _ => {}
    }
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{test}/{}: no JSON ({e}); exit {:?}, stderr: {}", c.name, out.status.code(), stderr(&out))
    });
    // A disagreement exits 1 with the record written: the callers' asserts
    // on `agrees` say what differed.
    Ok(doc["records"][0]["check"].clone())
}

/// Runs every case and asserts: the kernel said what LTP expects, and
/// shmlab predicted exactly that, naming the expected limit.
fn check_all(test: &str, cases: &[Case]) {
    let before = snapshot();
    for c in cases {
        let check = match run(test, c) {
            Ok(check) => check,
            Err(why) => {
                skip(&format!("{test}/{}", c.name), &why);
                continue;
            }
        };
        let kernel = check["kernel_said"].as_str().unwrap_or("none");
        let predicted = check["errno"].as_str().unwrap_or("ok");
        let context = format!("{test}/{}: --check {}: {check}", c.name, c.args);
        assert_eq!(kernel, c.expect.0, "the kernel's answer: {context}");
        assert_eq!(predicted, kernel, "predicted vs kernel: {context}");
        assert_eq!(check["agrees"], true, "{context}");
        assert_eq!(check["blocked_by"].as_str(), c.expect.1, "the limit named: {context}");
        assert_eq!(check["fits"], kernel == "ok", "{context}");
    }
    assert_eq!(snapshot(), before, "{test}: the host's SysV objects or huge page pool changed");
}

fn meminfo_bytes(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap();
    let line = text.lines().find(|l| l.starts_with(&format!("{key}:"))).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() * 1024
}

/// What SHM_HUGETLB for one page must get in the namespace, as root of the
/// initial namespace (the pool decides) or root of a user namespace (EPERM:
/// CAP_IPC_LOCK counts only in the initial namespace).
fn one_huge_page(pool: &str) -> (&'static str, &'static str) {
    let dir = format!("/sys/kernel/mm/hugepages/{pool}");
    if !std::path::Path::new(&dir).exists() {
        return ("EINVAL", "huge page size");
    }
    if !is_root() {
        return ("EPERM", "vm.hugetlb_shm_group");
    }
    let get = |f: &str| read_knob(&format!("{dir}/{f}")).parse::<u64>().unwrap_or(0);
    let room = get("free_hugepages").saturating_sub(get("resv_hugepages"))
        + get("nr_overcommit_hugepages").saturating_sub(get("surplus_hugepages"));
    if room >= 1 { ("ok", "") } else { ("ENOMEM", "vm.nr_hugepages") }
}

#[test]
fn sizes_around_shmmin_shmmax_and_the_largest_file() {
    let _serial = serial();
    let mut cases = vec![
        case("size 0 (SHMMIN)", "", "0", "EINVAL", "SHMMIN"),
        case("size 1", "", "1", "ok", ""),
        case("shmmax", "knob shmmax 1048576", "1048576", "ok", ""),
        case("shmmax + 1", "knob shmmax 1048576", "1048577", "EINVAL", "kernel.shmmax"),
        // With shmmax at its default (ULONG_MAX − 2^24), 2^63 passes newseg
        // and the shmem file refuses it: MAX_LFS_FILESIZE is 2^63 − 1.
        case("2^63, default shmmax", "", "9223372036854775808", "EINVAL", "MAX_LFS_FILESIZE"),
        case("2^64 - 1, default shmmax", "", "18446744073709551615", "EINVAL", "kernel.shmmax"),
        case(
            "2^64 - 1, shmmax 2^64 - 1",
            "knob shmmax 18446744073709551615; knob shmall 18446744073709551615",
            "18446744073709551615",
            "ENOSPC",
            "numpages",
        ),
    ];
    // newseg rounds up to huge pages without an overflow check: 2^64 − 4096
    // becomes 0 huge pages, and the segment is made without any pool page.
    let (wrap, wrap_limit) = if is_root() { ("ok", "") } else { ("EPERM", "vm.hugetlb_shm_group") };
    cases.push(case(
        "2^64 - 4096 huge 2M, shmmax 2^64 - 1",
        "knob shmmax 18446744073709551615; knob shmall 18446744073709551615",
        "18446744073709547520 --huge 2M",
        wrap,
        wrap_limit,
    ));
    check_all("sizes_around_shmmin_shmmax_and_the_largest_file", &cases);
}

#[test]
fn shmall_counts_base_pages_even_for_huge_pages() {
    let _serial = serial();
    // 3 pages in use, shmall 4: 1 page more fits, 2 do not.
    const SETUP: &str = "knob shmall 4; seg 12288";
    let (one_huge, one_huge_limit) = one_huge_page("hugepages-2048kB");
    let cases = vec![
        case("1 page on 3 of 4", SETUP, "4096", "ok", ""),
        case("2 pages on 3 of 4", SETUP, "8192", "ENOSPC", "kernel.shmall"),
        case("2 pages huge 2M on 3 of 4", SETUP, "8192 --huge 2M", "ENOSPC", "kernel.shmall"),
        // One 2 MiB page is 512 base pages, but shmall sees only the 1 page
        // asked for: the pool (or the permission) decides, not shmall.
        case("1 page huge 2M on 3 of 4", SETUP, "4096 --huge 2M", one_huge, one_huge_limit),
        case("shmall 0", "knob shmall 0", "1", "ENOSPC", "kernel.shmall"),
    ];
    check_all("shmall_counts_base_pages_even_for_huge_pages", &cases);
}

/// Puts vm.nr_hugepages back when dropped, however the test ends.
struct PoolGuard {
    old: String,
    // Last: the claim goes after the pool is back.
    _claim: HugePoolClaim,
}

impl PoolGuard {
    const PATH: &str = "/proc/sys/vm/nr_hugepages";

    fn raise_by(pages: u64) -> Self {
        let claim = claim_huge_pool();
        let old = read_knob(Self::PATH);
        let new = old.parse::<u64>().unwrap() + pages;
        let guard = PoolGuard { old, _claim: claim };
        // Best effort: the kernel may find fewer pages; the test checks.
        let _ = std::fs::write(Self::PATH, new.to_string());
        guard
    }
}

impl Drop for PoolGuard {
    fn drop(&mut self) {
        let _ = std::fs::write(Self::PATH, &self.old);
    }
}

#[test]
fn huge_pages_from_a_raised_pool() {
    const TEST: &str = "huge_pages_from_a_raised_pool";
    if !is_root() {
        return skip(TEST, "raises vm.nr_hugepages (root)");
    }
    let _serial = serial();
    let before = snapshot();
    {
        let dir = "/sys/kernel/mm/hugepages/hugepages-2048kB";
        let free = || {
            read_knob(&format!("{dir}/free_hugepages")).parse::<u64>().unwrap()
                - read_knob(&format!("{dir}/resv_hugepages")).parse::<u64>().unwrap()
        };
        let _pool = PoolGuard::raise_by(2);
        if free() < 2 {
            return skip(TEST, "the kernel found no 2 free huge pages of 2 MiB (memory fragmented or short)");
        }
        let available = free();
        let cases = vec![
            case("1 page huge 2M on 3 of 4", "knob shmall 4; seg 12288", "4096 --huge 2M", "ok", ""),
            case("2 pages huge 2M on 3 of 4", "knob shmall 4; seg 12288", "8192 --huge 2M", "ENOSPC", "kernel.shmall"),
            case("all free pages", "", format!("{} --huge 2M", available * (2 << 20)), "ok", ""),
            case(
                "one page more than free",
                "",
                format!("{} --huge 2M", available * (2 << 20) + 1),
                "ENOMEM",
                "vm.nr_hugepages",
            ),
            // A full id table hides behind a pool that can give the pages.
            case("shmmni full", "knob shmmni 1; seg 1", "4096 --huge 2M", "ENOSPC", "kernel.shmmni"),
        ];
        for c in &cases {
            let Ok(check) = run(TEST, c) else { panic!("{TEST}/{}: could not run", c.name) };
            let kernel = check["kernel_said"].as_str().unwrap_or("none");
            assert_eq!(kernel, c.expect.0, "{TEST}/{}: {check}", c.name);
            assert_eq!(check["errno"].as_str().unwrap_or("ok"), kernel, "{TEST}/{}: {check}", c.name);
            assert_eq!(check["blocked_by"].as_str(), c.expect.1, "{TEST}/{}: {check}", c.name);
        }
    }
    assert_eq!(snapshot(), before, "vm.nr_hugepages restored, nothing left on the host");
}

#[test]
fn shmmni_exhausted_alone_and_behind_the_files_refusals() {
    let _serial = serial();
    // Two segments and shmmni 2: no id is left.
    const FULL: &str = "knob shmmni 2; seg 1; seg 1";
    let beyond_memory = meminfo_bytes("MemTotal") + meminfo_bytes("SwapTotal") + 4096;
    let heuristic = read_knob("/proc/sys/vm/overcommit_memory") == "0";
    let (one_huge, one_huge_limit) = one_huge_page("hugepages-2048kB");
    let mut cases = vec![
        case("shmmni full", FULL, "4096", "ENOSPC", "kernel.shmmni"),
        case("shmmni full, IPC_PRIVATE without IPC_CREAT", FULL, "4096 --no-create", "ENOSPC", "kernel.shmmni"),
        case("shmmni full, 2^63", FULL, "9223372036854775808", "EINVAL", "MAX_LFS_FILESIZE"),
        case("shmmni full, shmmax", "knob shmmax 4096; knob shmmni 2; seg 1; seg 1", "4097", "EINVAL", "kernel.shmmax"),
        // As root: the pool's ENOMEM (or, with free pages, ENOSPC); as root
        // of a user namespace: EPERM. Either way the file comes first.
        case(
            "shmmni full, huge 2M",
            FULL,
            "4096 --huge 2M",
            if one_huge == "ok" { "ENOSPC" } else { one_huge },
            if one_huge == "ok" { "kernel.shmmni" } else { one_huge_limit },
        ),
        // nobody has neither CAP_IPC_LOCK nor vm.hugetlb_shm_group.
        as_nobody(case("shmmni full, huge 2M, as nobody", FULL, "4096 --huge 2M", "EPERM", "vm.hugetlb_shm_group")),
    ];
    if heuristic {
        cases.push(case(
            "shmmni full, beyond RAM + swap",
            FULL,
            beyond_memory.to_string(),
            "ENOMEM",
            "vm.overcommit_memory",
        ));
    } else {
        skip("shmmni_exhausted_alone_and_behind_the_files_refusals/beyond RAM + swap", "vm.overcommit_memory is not 0");
    }
    check_all("shmmni_exhausted_alone_and_behind_the_files_refusals", &cases);
}

#[test]
fn memory_accounting_and_the_pool_refuse_with_enomem() {
    const TEST: &str = "memory_accounting_and_the_pool_refuse_with_enomem";
    let _serial = serial();
    let ram_and_swap = meminfo_bytes("MemTotal") + meminfo_bytes("SwapTotal");
    let mut cases = Vec::new();
    if read_knob("/proc/sys/vm/overcommit_memory") == "0" {
        // __vm_enough_memory refuses more pages than RAM + swap; exactly
        // that many pass (nothing is touched, so nothing is used).
        cases.push(case("RAM + swap", "", ram_and_swap.to_string(), "ok", ""));
        cases.push(case("RAM + swap + 1", "", (ram_and_swap + 1).to_string(), "ENOMEM", "vm.overcommit_memory"));
        cases.push(case("2^63 - 1", "", "9223372036854775807", "ENOMEM", "vm.overcommit_memory"));
    } else {
        skip(TEST, "vm.overcommit_memory is not 0: the RAM + swap cases do not apply");
    }
    let (one_huge, limit) = one_huge_page("hugepages-2048kB");
    cases.push(case("one 2 MiB page", "", "4096 --huge 2M", one_huge, limit));
    let (one_gig, limit) = one_huge_page("hugepages-1048576kB");
    cases.push(case("one 1 GiB page", "", "4096 --huge 1G", one_gig, limit));
    check_all(TEST, &cases);
}

#[test]
fn existing_and_missing_keys_as_in_ltp_shmget02() {
    let _serial = serial();
    // A 4 KiB segment of root's with mode 0600; $KEY is its key.
    const ONE: &str = "seg 4096 600; KEY=$(lastkey)";
    let cases = vec![
        case("ENOENT: no IPC_CREAT, no segment", "", "4096 --key 0x1234 --no-create", "ENOENT", "missing IPC_CREAT"),
        case("a new keyed segment", "", "4096 --key 0x1234", "ok", ""),
        case("EEXIST: IPC_EXCL on a used key", ONE, "4096 --key=$KEY --exclusive", "EEXIST", "IPC_EXCL"),
        case("the existing segment", ONE, "4096 --key=$KEY", "ok", ""),
        case("look up only", ONE, "0 --key=$KEY --no-create", "ok", ""),
        case("EINVAL: larger than the segment", ONE, "8192 --key=$KEY", "EINVAL", "segment size"),
        case("IPC_PRIVATE never finds it", ONE, "8192 --key IPC_PRIVATE --exclusive", "ok", ""),
        as_nobody(case("EACCES: root's 0600 as nobody", ONE, "4096 --key=$KEY", "EACCES", "segment mode")),
        // shm_more_checks runs before ipcperms.
        as_nobody(case("larger and not permitted", ONE, "8192 --key=$KEY", "EINVAL", "segment size")),
        as_nobody(case("asking for no permission", ONE, "0 --key=$KEY --mode 0", "ok", "")),
        as_nobody(case("read on a 0644 segment", "seg 4096 644; KEY=$(lastkey)", "0 --key=$KEY --mode 400", "ok", "")),
    ];
    check_all("existing_and_missing_keys_as_in_ltp_shmget02", &cases);
}

#[test]
fn bad_limits_input_is_one_line_exit_2() {
    let _serial = serial();
    assert_usage_error(&shmlab(&["limits", "--key", "0x1234"]), "--check");
    assert_usage_error(&shmlab(&["limits", "--check", "4KiB", "--key", "0xZZ"]), "not a key");
    assert_usage_error(&shmlab(&["limits", "--check", "4KiB", "--mode", "800"]), "not a mode");
    assert_usage_error(&shmlab(&["limits", "--check", "4KiB", "--exclusive", "--no-create"]), "--no-create");
    assert_usage_error(&shmlab(&["limits", "--check", "4KiB", "--key-path", "/nonexistent"]), "does not exist");
    assert_usage_error(
        &shmlab(&["limits", "--check", "4KiB", "--key-path", "/etc/passwd", "--proj-id", "256"]),
        "low 8 bits",
    );
}

/// `limits --demo`: every refusal anyone can cause returns the errno it is
/// about, for root and for nobody, and leaves nothing behind (the killed
/// child's segment included). As root the demo also lowers the limits: in
/// a private IPC namespace here, so the machine's are never touched.
#[test]
fn demo_refusals_are_the_kernels_own() {
    let _serial = serial();
    let before = snapshot();
    // Every case tried gets the errno it is about; `must` are the cases that
    // must be tried (a root of a user namespace cannot become nobody, and a
    // pool another run is changing is left alone, both said as "not tried").
    let check = |doc: &serde_json::Value, who: &str, must: &[&str]| {
        let refusals = doc["records"][0]["refusals"].as_array().expect("refusals recorded");
        for wanted in must {
            let r = refusals.iter().find(|r| r["case"].as_str().unwrap().contains(wanted));
            let r = r.unwrap_or_else(|| panic!("{who}: no case {wanted:?} in {refusals:?}"));
            assert!(!r["kernel_said"].as_str().unwrap().starts_with("not tried"), "{who}: {r}");
        }
        for r in refusals {
            let said = r["kernel_said"].as_str().unwrap();
            assert!(said == r["expected_errno"] || said.starts_with("not tried"), "{who}: {r}");
        }
    };
    match in_private_namespaces("\"$SHMLAB\" limits --demo --json -") {
        Ok(out) => {
            assert!(out.status.success(), "{}", stderr(&out));
            check(
                &serde_json::from_slice(&out.stdout).unwrap(),
                "root of private namespaces",
                &["killed", "removed while"],
            );
        }
        Err(why) => skip("demo_refusals_are_the_kernels_own (as root of private namespaces)", &why),
    }
    if let Some(out) = shmlab_as_nobody(&["limits", "--demo", "--json", "-"]) {
        assert!(out.status.success(), "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        check(&doc, "nobody", &["killed", "removed while", "does not grant", "lowers kernel.shmmax"]);
        let refusals = doc["records"][0]["refusals"].as_array().unwrap();
        let huge = refusals.iter().find(|r| r["call"].as_str().unwrap().contains("SHM_HUGETLB")).unwrap();
        assert_eq!(huge["kernel_said"], "EPERM", "nobody has no CAP_IPC_LOCK: {huge}");
        assert!(doc["records"][0]["demo"].as_array().is_none_or(|d| d.is_empty()), "nobody lowers no limit");
    }
    assert_eq!(snapshot(), before, "the killed child's segment and the semaphore set are gone");
}
