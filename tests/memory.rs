//! The memory lab and the limits, through the real binary, checked against
//! what the kernel and procps say.

mod common;

use std::process::{Command, Stdio};

use common::*;

const MIB: i64 = 1024; // KiB per MiB

fn touched_phase(doc: &serde_json::Value) -> serde_json::Value {
    doc["records"][0]["phases"].as_array().unwrap().iter().find(|p| p["name"] == "touched").unwrap().clone()
}

/// Parses the `Mem:` line of `free -k`: total used free shared buff/cache available.
fn free_k() -> Vec<i64> {
    let out = Command::new("free").arg("-k").output().expect("free from procps");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let line = text.lines().find(|l| l.starts_with("Mem:")).expect("Mem: line");
    line.split_whitespace().skip(1).map(|v| v.parse().unwrap()).collect()
}

#[test]
fn shmem_moves_by_the_size_and_our_free_matches_procps() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("memory-xsi");
    let mut child = shmlab_command()
        .args(["memory", "--backend", "xsi", "--proj-id", "31", "--size", "256MiB", "--hold", "2", "--json"])
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the segment is touched and held, then ask procps.
    wait_for_stderr_line(&mut child, "holding");
    let procps = free_k();
    assert!(child.wait().unwrap().success());

    let doc = read_json(&path);
    assert_eq!(doc["records"][0]["backend"], "xsi");
    assert_eq!(doc["records"][0]["size_bytes"], 256u64 << 20);
    let touched = touched_phase(&doc);
    let shmem = touched["counters"]["shmem"].as_i64().unwrap();
    assert!((shmem - 256 * MIB).abs() < 256 * MIB * 3 / 100, "Shmem delta {shmem} KiB, expected about 256 MiB");
    assert!(touched["free"]["shared"].as_i64().unwrap() >= 250 * MIB, "free's shared column moved");
    assert!(doc["records"][0]["minor_faults"].as_u64().unwrap() >= 65536, "one fault per 4 KiB page");

    let ours = &touched["absolute_free"];
    let names = ["total", "used", "free", "shared", "buff_cache", "available"];
    let noise = [0, 128 * MIB, 512 * MIB, 8 * MIB, 64 * MIB, 128 * MIB];
    for ((name, theirs), tolerance) in names.iter().zip(&procps).zip(noise) {
        let mine = ours[name].as_i64().unwrap();
        assert!((mine - theirs).abs() <= tolerance, "{name}: ours {mine} KiB, free -k {theirs} KiB");
    }
    assert_eq!(snapshot(), before);
}

#[test]
fn huge_pages_are_reserved_at_create_and_consumed_at_touch() {
    if !is_root() {
        return skip("huge_pages_are_reserved_at_create_and_consumed_at_touch", "needs root to reserve huge pages");
    }
    let _serial = serial();
    let before = snapshot();
    for backend in ["xsi", "mmap", "memfd"] {
        let path = json_path(&format!("memory-huge-{backend}"));
        let out = shmlab(&[
            "memory",
            "--backend",
            backend,
            "--proj-id",
            "32",
            "--huge",
            "2M",
            "--size",
            "64MiB",
            "--reserve-hugepages",
            "--json",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{backend}: {}", stderr(&out));
        let doc = read_json(&path);
        let phases = doc["records"][0]["phases"].as_array().unwrap();
        let get = |name: &str, key: &str| {
            phases.iter().find(|p| p["name"] == name).unwrap()["counters"][key].as_i64().unwrap()
        };
        assert_eq!(get("created", "hugepages_rsvd"), 32, "{backend}: Rsvd rises at create");
        assert_eq!(get("created", "hugepages_free"), 0, "{backend}: Free does not move at create");
        assert_eq!(get("touched", "hugepages_free"), -32, "{backend}: Free drops by size/2 MiB at touch");
        assert_eq!(get("touched", "hugepages_rsvd"), 0, "{backend}: the reservation is consumed");
        assert!(get("touched", "shmem").abs() < 4 * MIB, "{backend}: huge pages are not Shmem");
    }
    assert_eq!(snapshot(), before, "nr_hugepages or objects left changed");
}

#[test]
fn ctrl_c_during_a_hold_restores_the_huge_page_pool() {
    if !is_root() {
        return skip("ctrl_c_during_a_hold_restores_the_huge_page_pool", "needs root to reserve huge pages");
    }
    let _serial = serial();
    let before = snapshot();
    let mut child = shmlab_command()
        .args(["memory", "--backend", "xsi-private", "--huge", "2M", "--size", "32MiB", "--reserve-hugepages"])
        .args(["--hold", "30"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_stderr_line(&mut child, "holding");
    assert_ne!(read_knob("/proc/sys/vm/nr_hugepages"), "0", "the pool was raised");
    send_signal(child.id(), libc::SIGINT);
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert_eq!(snapshot(), before, "the pool or the segment survived Ctrl-C");
}

#[test]
fn compare_pages_shows_fewer_faults_with_huge_pages() {
    if !is_root() {
        return skip("compare_pages_shows_fewer_faults_with_huge_pages", "needs root for huge pages and shmem THP");
    }
    let _serial = serial();
    let before = snapshot();
    let thp_before = read_knob("/sys/kernel/mm/transparent_hugepage/shmem_enabled");
    let path = json_path("compare-pages");
    let out = shmlab(&[
        "memory",
        "--size",
        "64MiB",
        "--compare-pages",
        "--reserve-hugepages",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = read_json(&path)["records"].as_array().unwrap().clone();
    let by = |pages: &str| recs.iter().find(|r| r["pages"] == pages).unwrap().clone();
    assert!(by("4K")["minor_faults"].as_u64().unwrap() >= 16384);
    let huge = by("2M");
    assert!(huge["skipped"].is_null(), "{}", huge["skipped"]);
    assert!(huge["minor_faults"].as_u64().unwrap() <= 64, "2 MiB pages: one fault per 2 MiB");
    assert_eq!(huge["huge_backed_kib"], 64 * MIB);
    assert!(by("THP")["touch_ms"].is_number() || by("THP")["skipped"].is_string());
    assert_eq!(read_knob("/sys/kernel/mm/transparent_hugepage/shmem_enabled"), thp_before, "THP setting restored");
    assert_eq!(snapshot(), before);
}

/// Random reads over each page kind, for anyone: the 4 KiB row always
/// runs, the others run or say why not; page tables and the reason for
/// missing TLB counters are recorded.
#[test]
fn random_access_is_measured_per_working_set() {
    let _serial = serial();
    let before = snapshot();
    let path = json_path("random-access");
    let out = shmlab(&[
        "memory",
        "--size",
        "64MiB",
        "--compare-pages",
        "--access",
        "random",
        "--json",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let recs = read_json(&path)["records"].as_array().unwrap().clone();
    let small = recs.iter().find(|r| r["pages"] == "4K").unwrap();
    let points = small["random_access"].as_array().unwrap();
    let sets: Vec<u64> = points.iter().map(|p| p["working_set_bytes"].as_u64().unwrap()).collect();
    assert_eq!(sets, [256 << 10, 4 << 20, 64 << 20], "{small}");
    for p in points {
        assert!(p["ns_per_access"].as_f64().unwrap() > 0.0, "{p}");
        assert!(p["dtlb_misses_per_access"].is_number() || small["dtlb_unavailable"].is_string(), "{small}");
    }
    // 64 MiB of 4 KiB pages: 16384 page table entries, 128 KiB of them.
    assert!(small["vm_pte_kib"].as_i64().unwrap() >= 128, "{small}");
    for r in &recs {
        assert!(r["skipped"].is_string() || !r["random_access"].as_array().unwrap().is_empty(), "{r}");
    }
    assert!(stdout(&out).contains("Random 8-byte reads"), "{}", stdout(&out));
    assert_eq!(snapshot(), before);
}

#[test]
fn access_needs_compare_pages() {
    assert_usage_error(&shmlab(&["memory", "--access", "random"]), "--compare-pages");
    assert_usage_error(&shmlab(&["memory", "--compare-pages", "--access", "bogus", "--size", "64MiB"]), "bogus");
}

/// Whether this process may use SHM_HUGETLB: root of the initial user
/// namespace (CAP_IPC_LOCK there), or a member of vm.hugetlb_shm_group.
fn may_use_hugetlb() -> bool {
    let initial_ns = read_knob("/proc/self/uid_map").split_whitespace().collect::<Vec<_>>() == ["0", "0", "4294967295"];
    let group: u32 = read_knob("/proc/sys/vm/hugetlb_shm_group").parse().unwrap_or(0);
    let mut groups = vec![0 as libc::gid_t; 256];
    // SAFETY: getgroups writes at most groups.len() ids into the buffer.
    let n = unsafe { libc::getgroups(groups.len() as i32, groups.as_mut_ptr()) };
    groups.truncate(n.max(0) as usize);
    // SAFETY: getegid has no preconditions.
    groups.push(unsafe { libc::getegid() });
    (is_root() && initial_ns) || groups.contains(&group)
}

#[test]
fn limits_match_proc_and_predict_refusals() {
    let _serial = serial();
    let path = json_path("limits");
    let out = shmlab(&["limits", "--check", "3GiB", "--huge", "2M", "--try", "--json", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = read_json(&path);
    let l = &doc["records"][0]["limits"];
    assert_eq!(l["shmmax"].as_u64().unwrap().to_string(), read_knob("/proc/sys/kernel/shmmax"));
    assert_eq!(l["shmall_pages"].as_u64().unwrap().to_string(), read_knob("/proc/sys/kernel/shmall"));
    assert_eq!(l["shmmni"].as_u64().unwrap().to_string(), read_knob("/proc/sys/kernel/shmmni"));
    let free_huge: u64 = read_knob("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages").parse().unwrap();
    let check = &doc["records"][0]["check"];
    // SHM_HUGETLB is refused (EPERM) before the pool is asked, unless the
    // caller has CAP_IPC_LOCK or is in vm.hugetlb_shm_group.
    if !may_use_hugetlb() {
        assert_eq!(check["errno"], "EPERM", "SHM_HUGETLB without CAP_IPC_LOCK: {check}");
        assert_eq!(check["blocked_by"], "vm.hugetlb_shm_group");
    } else if free_huge < 1536 {
        assert_eq!(check["errno"], "ENOMEM", "3 GiB of huge pages without a pool: {check}");
        assert_eq!(check["blocked_by"], "vm.nr_hugepages");
    }
    assert_eq!(check["kernel_said"].as_str(), Some(check["errno"].as_str().unwrap_or("ok")), "--try: {check}");
    assert_eq!(check["agrees"], true, "{check}");
    let check_of = |size: &str| {
        let out = shmlab(&["limits", "--check", size, "--json", "-"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["records"][0]["check"].clone()
    };
    let shmmax: u64 = read_knob("/proc/sys/kernel/shmmax").parse().unwrap();
    if shmmax >= 16 << 20 {
        assert_eq!(check_of("16MiB")["fits"], true, "16 MiB fits the limits and the memory");
    }
    // Larger than RAM + swap: under the default heuristic overcommit the
    // kernel refuses it with ENOMEM whatever shmmax says; and so does a real shmget.
    if read_knob("/proc/sys/vm/overcommit_memory") == "0" && shmmax >= 1 << 40 {
        let huge = check_of("1TiB");
        assert_eq!(
            (huge["errno"].as_str(), huge["blocked_by"].as_str()),
            (Some("ENOMEM"), Some("vm.overcommit_memory"))
        );
        // SAFETY: a plain shmget that must fail; if it did not, the segment is removed at once.
        let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 1 << 40, 0o600) };
        let errno = std::io::Error::last_os_error().raw_os_error();
        if id >= 0 {
            // SAFETY: removes the segment just created.
            unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
        }
        assert_eq!((id, errno), (-1, Some(libc::ENOMEM)), "the kernel agrees with the prediction");
    }
}

/// `limits --demo` in a private IPC namespace, whose kernel.shm* limits are
/// its own: the demo really changes and restores them, and the machine's
/// are never touched.
#[test]
fn demo_shows_the_kernels_refusals_and_restores_every_limit() {
    let knobs = "/proc/sys/kernel/shmmax /proc/sys/kernel/shmall /proc/sys/kernel/shmmni";
    let out = match in_private_namespaces(&format!(
        "before=$(cat {knobs} | tr '\\n' ' '); \"$SHMLAB\" limits --demo --json -; rc=$?; \
         echo \"$before\" >&2; cat {knobs} | tr '\\n' ' ' >&2; exit $rc"
    )) {
        Ok(out) => out,
        Err(why) => return skip("demo_shows_the_kernels_refusals_and_restores_every_limit", &why),
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for d in doc["records"][0]["demo"].as_array().unwrap() {
        assert_eq!(d["kernel_said"], d["expected_errno"], "{d}");
        assert_eq!(d["restored"], true);
    }
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let (before, after) = (lines[lines.len() - 2].trim(), lines[lines.len() - 1].trim());
    assert_eq!(after, before);
}

#[test]
fn bad_memory_input_is_one_line_exit_2() {
    let _serial = serial();
    let before = snapshot();
    assert_usage_error(&shmlab(&["memory", "--size", "0"]), "--size 0");
    assert_usage_error(&shmlab(&["memory", "--size", "lots"]), "not a size");
    assert_usage_error(&shmlab(&["memory", "--size", "1TiB"]), "available");
    assert_usage_error(&shmlab(&["memory", "--huge", "4M"]), "possible values");
    assert_usage_error(&shmlab(&["memory", "--backend", "posix", "--huge", "2M", "--size", "4MiB"]), "huge pages");
    let free_huge = read_knob("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages");
    if free_huge == "0" {
        assert_usage_error(&shmlab(&["memory", "--huge", "2M", "--size", "4MiB"]), "--reserve-hugepages");
    }
    if let Some(out) = shmlab_as_nobody(&["memory", "--huge", "2M", "--size", "4MiB", "--reserve-hugepages"]) {
        assert_usage_error(&out, "root");
    }
    if let Some(out) = shmlab_as_nobody(&["memory", "--backend", "xsi", "--huge", "2M", "--size", "4MiB"]) {
        assert_usage_error(&out, "EPERM");
    }
    // With --let-kernel-refuse the kernel itself says it.
    if let Some(out) =
        shmlab_as_nobody(&["memory", "--backend", "xsi", "--huge", "2M", "--size", "4MiB", "--let-kernel-refuse"])
    {
        assert_usage_error(&out, "shmget(SHM_HUGETLB) on ftok(/etc/passwd, 1234), 4194304 bytes failed: EPERM");
    }
    let overcommit = read_knob("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages");
    if is_root() && free_huge == "0" && overcommit == "0" {
        let out = shmlab(&["memory", "--backend", "xsi", "--huge", "2M", "--size", "4MiB", "--let-kernel-refuse"]);
        assert_usage_error(&out, "failed: ENOMEM");
    }
    assert_eq!(snapshot(), before);
}

/// kernel.shmmax is lowered in a private IPC namespace of its own (the
/// machine's limit is never touched, and nothing needs restoring).
#[test]
fn a_size_over_shmmax_is_refused_with_the_limit_named() {
    let out = match in_private_namespaces(
        "echo 1048576 > /proc/sys/kernel/shmmax && exec \"$SHMLAB\" memory --backend xsi-private --size 2MiB",
    ) {
        Ok(out) => out,
        Err(why) => return skip("a_size_over_shmmax_is_refused_with_the_limit_named", &why),
    };
    assert_usage_error(&out, "kernel.shmmax");
    assert!(stderr(&out).contains("EINVAL"), "{}", stderr(&out));
}
