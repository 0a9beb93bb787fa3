//! shmlab's promises under hostile and busy conditions: it removes exactly
//! what it created, a killed run leaves nothing `shmlab clean` cannot find,
//! and bad conditions give one clear line. Most cases run in private
//! namespaces (see `common::in_private_namespaces`) so that they can plant
//! foreign objects, fill a small /dev/shm or forge registry records without
//! touching the machine's own. docs/reliability.md lists what each test
//! stands for.

mod common;

use std::process::Output;

use common::*;

/// Runs `script` in a private sandbox, or says visibly why it cannot.
fn sandbox(test: &str, script: &str) -> Option<Output> {
    match in_private_namespaces(script) {
        Ok(out) => Some(out),
        Err(why) => {
            skip(test, &why);
            None
        }
    }
}

/// The sandbox's lines of the form `key=value`, as a lookup.
fn value<'a>(out: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}=");
    out.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {key}= in:\n{out}"))
}

/// The sandbox itself: a fresh /dev/shm, /run and SysV IPC, and a /proc
/// with only the sandbox's processes.
#[test]
fn the_private_sandbox_sees_nothing_of_the_machine() {
    let Some(out) = sandbox(
        "the_private_sandbox_sees_nothing_of_the_machine",
        "ls -A /dev/shm | wc -l; ls -A /run | wc -l; awk 'NR>1' /proc/sysvipc/shm | wc -l; ls /proc | grep -c '^[0-9]'",
    ) else {
        return;
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let counts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(counts[..3], ["0", "1", "0"], "empty /dev/shm, only tmp in /run, no segments: {counts:?}");
    let processes: u32 = counts[3].parse().unwrap();
    assert!(processes <= 4, "only the sandbox's own processes in its /proc: {processes}");
}

/// Item 1: another user's (or anyone's) file in /dev/shm is never removed,
/// even when it has exactly the name shmlab would once have chosen.
#[test]
fn lifecycle_posix_never_unlinks_a_name_it_did_not_create() {
    let Some(out) = sandbox(
        "lifecycle_posix_never_unlinks_a_name_it_did_not_create",
        "for p in $(seq 1 300); do for j in 0 1 2; do : > /dev/shm/shmlab-$p-$j; done; done
         before=$(ls /dev/shm | wc -l)
         \"$SHMLAB\" lifecycle --backend posix > /dev/null; echo rc=$?
         \"$SHMLAB\" lifecycle --backend posix > /dev/null; echo rc2=$?
         echo before=$before after=$(ls /dev/shm | wc -l)",
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "0", "{}", stderr(&out));
    assert_eq!(value(&text, "rc2"), "0", "{}", stderr(&out));
    let line = text.lines().find(|l| l.starts_with("before=")).unwrap();
    assert_eq!(line, "before=900 after=900", "every planted file is still there");
}

/// Item 4: planted names cannot make a run fail: names are random.
#[test]
fn planted_names_in_dev_shm_do_not_stop_a_run() {
    let Some(out) = sandbox(
        "planted_names_in_dev_shm_do_not_stop_a_run",
        "for p in $(seq 1 300); do for j in 0 1 2; do : > /dev/shm/shmlab-$p-$j; : > /dev/shm/sem.shmlab-$p-$j; done; done
         \"$SHMLAB\" racing --backend posix --lock named-sem --children 5 > /dev/null; echo rc=$?
         echo left=$(ls /dev/shm | wc -l)",
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "0", "{}", stderr(&out));
    assert_eq!(value(&text, "left"), "1800", "the planted files stay, shmlab's went");
}

/// Item 5: the private temporary directory is 0700 whatever the umask.
#[test]
fn the_private_directory_is_0700_whatever_the_umask() {
    let Some(out) = sandbox(
        "the_private_directory_is_0700_whatever_the_umask",
        "for mask in 000 022 277; do
           (umask $mask; exec \"$SHMLAB\" memory --backend mmap-file --size 4MiB --hold 1.5 > /dev/null 2>&1) &
           sleep 0.7; echo mode$mask=$(stat -c %a \"$TMPDIR\"/shmlab-* | sort -u | tr '\\n' ' '); wait
         done",
    ) else {
        return;
    };
    let text = stdout(&out);
    for mask in ["000", "022", "277"] {
        assert_eq!(value(&text, &format!("mode{mask}")).trim(), "700", "umask {mask}: {text}");
    }
}

/// Item 2: clean removes nothing on a name or path alone. Stale records
/// (written long ago, by a pid that is gone) and forged ones name files,
/// directories, a segment and a "setting" that shmlab did not make: all
/// stay, and the setting's file is not written.
#[test]
fn clean_leaves_objects_of_stale_and_forged_records_alone() {
    let Some(out) = sandbox(
        "clean_leaves_objects_of_stale_and_forged_records_alone",
        r#"mkdir -m 700 /run/shmlab
         : > /dev/shm/shmlab-77-0; : > /dev/shm/sem.shmlab-77-1; mkdir "$TMPDIR/shmlab-77-dir"; echo keep > "$TMPDIR/victim"
         id=$(ipcmk -M 4096 | awk '{print $NF}'); key=$(awk -v id=$id 'NR>1 && $2==id {print $1}' /proc/sysvipc/shm)
         rec() { printf '{"owner_pid":999999,"owner_start":1,"created_unix":%s,"entry":%s}' "$1" "$2" > /run/shmlab/$3.json; }
         now=$(date +%s)
         rec 1000 '{"kind":"posix-shm","name":"/shmlab-77-0"}' a
         rec 1000 '{"kind":"named-semaphore","name":"/shmlab-77-1"}' b
         rec 1000 "{\"kind\":\"temp-dir\",\"path\":\"$TMPDIR/shmlab-77-dir\"}" c
         rec $now "{\"kind\":\"setting\",\"path\":\"$TMPDIR/victim\",\"old\":\"OVERWRITTEN\",\"new\":\"keep\"}" d
         rec $now "{\"kind\":\"xsi-segment\",\"key\":$key,\"creator_pid\":77,\"shmid\":$id}" e
         rec $now "{\"kind\":\"xsi-segment\",\"key\":$key,\"creator_pid\":77}" f
         rec $now '{"kind":"posix-shm","name":"/../../etc/passwd"}' g
         : > /dev/shm/shmlab-1-b
         rec $now '{"kind":"posix-shm","name":"/shmlab-1-b","file":{"dev":1,"ino":1,"uid":0}}' h
         sem=$(ipcmk -S 1 | awk '{print $NF}')
         rec $now "{\"kind\":\"semaphore-set\",\"key\":1,\"semid\":$sem,\"ctime\":1}" i
         "$SHMLAB" clean; echo rc=$?
         echo files=$(ls /dev/shm | wc -l) dir=$(ls -d "$TMPDIR"/shmlab-77-dir | wc -l) victim=$(cat "$TMPDIR/victim") segments=$(awk 'NR>1' /proc/sysvipc/shm | wc -l) sets=$(awk 'NR>1' /proc/sysvipc/sem | wc -l)"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "0", "nothing needed doing: {text}{}", stderr(&out));
    let line = text.lines().find(|l| l.starts_with("files=")).unwrap();
    assert_eq!(line, "files=3 dir=1 victim=keep segments=1 sets=1", "{text}");
    assert!(text.contains("not a setting shmlab changes"), "{text}");
}

/// Item 2: records that are not private to the user are not believed.
#[test]
fn clean_does_not_believe_records_others_could_have_written() {
    let Some(out) = sandbox(
        "clean_does_not_believe_records_others_could_have_written",
        r#"mkdir -m 700 /run/shmlab; : > /dev/shm/shmlab-1-a
         printf '{"owner_pid":999999,"owner_start":1,"created_unix":%s,"entry":{"kind":"posix-shm","name":"/shmlab-1-a"}}' $(date +%s) > /run/shmlab/w.json
         chmod 666 /run/shmlab/w.json
         : > /run/shmlab/empty.json
         "$SHMLAB" clean; echo rc=$?; echo left=$(ls /dev/shm | wc -l)"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "1", "records it could not use are a problem: {text}");
    assert_eq!(value(&text, "left"), "1", "the file of a world-writable record stays");
    assert!(text.contains("others may write it"), "{text}");
    assert!(text.contains("not a shmlab record"), "an empty record is reported, not skipped: {text}");
}

/// Item 10: an unusable registry stops a run before it creates anything,
/// and `clean` never says "nothing to clean" when it could not look.
#[test]
fn an_untrusted_registry_stops_runs_and_clean_says_why() {
    let Some(out) = sandbox(
        "an_untrusted_registry_stops_runs_and_clean_says_why",
        r#"mkdir -m 700 "$TMPDIR/elsewhere"; ln -s "$TMPDIR/elsewhere" /run/shmlab
         "$SHMLAB" racing --backend xsi-private --children 3 > /dev/null 2> "$TMPDIR/e1"; echo link=$?
         echo link_segments=$(awk 'NR>1' /proc/sysvipc/shm | wc -l)
         "$SHMLAB" clean > /dev/null 2> "$TMPDIR/e2"; echo clean=$?
         rm /run/shmlab; mkdir -m 777 /run/shmlab; chmod 777 /run/shmlab
         "$SHMLAB" racing --backend posix --children 3 > /dev/null 2> "$TMPDIR/e3"; echo open=$?
         echo open_files=$(ls /dev/shm | wc -l)
         cat "$TMPDIR/e1" "$TMPDIR/e2" "$TMPDIR/e3""#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "link"), "2", "{text}");
    assert_eq!(value(&text, "link_segments"), "0", "nothing was created");
    assert_eq!(value(&text, "clean"), "2", "{text}");
    assert_eq!(value(&text, "open"), "2", "{text}");
    assert_eq!(value(&text, "open_files"), "0", "nothing was created");
    assert!(text.contains("is a symbolic link"), "{text}");
    assert!(text.contains("has mode 777"), "{text}");
    assert!(!text.contains("Nothing to clean"), "{text}");
}

/// Item 10: a registry owned by someone else is refused (root plants it
/// for user nobody), and a normal user's empty registry is not left behind.
#[test]
fn a_registry_of_someone_else_is_refused_and_an_empty_one_goes() {
    if !is_root() {
        return skip("a_registry_of_someone_else_is_refused_and_an_empty_one_goes", "needs root to act as two users");
    }
    let Some(out) = sandbox(
        "a_registry_of_someone_else_is_refused_and_an_empty_one_goes",
        r#"NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
         mkdir -m 700 /run/tmp/xdg /run/tmp/xdg2; chown 65534 /run/tmp/xdg2
         mkdir -m 700 /run/tmp/xdg/shmlab; chmod 755 /run/tmp/xdg; chown 65534 /run/tmp/xdg
         XDG_RUNTIME_DIR=/run/tmp/xdg $NB "$SHMLAB" racing --backend xsi-private --children 3 > /dev/null 2> /run/tmp/e; echo foreign=$?
         XDG_RUNTIME_DIR=/run/tmp/xdg2 $NB "$SHMLAB" racing --backend xsi-private --lock flock --children 3 > /dev/null; echo own=$?
         echo kept=$(ls -A /run/tmp/xdg2 | wc -l) segments=$(awk 'NR>1' /proc/sysvipc/shm | wc -l)
         cat /run/tmp/e"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "foreign"), "2", "{text}");
    assert!(text.contains("belongs to uid 0"), "{text}");
    assert_eq!(value(&text, "own"), "0", "{text}");
    assert_eq!(value(&text, "kept"), "0 segments=0", "no empty registry left behind: {text}");
}

/// Item 11: a full /dev/shm or TMPDIR is an error that names the file
/// system and the fix, never a SIGBUS, and leaves nothing.
#[test]
fn full_file_systems_are_words_not_sigbus() {
    let Some(out) = sandbox(
        "full_file_systems_are_words_not_sigbus",
        r#"umount /dev/shm; mount -t tmpfs -o size=1m,mode=1777 tmpfs /dev/shm
         dd if=/dev/zero of=/dev/shm/fill bs=4k count=256 2>/dev/null
         for c in "racing --backend posix --children 3" "racing --lock named-sem --children 3" "inspect --backend posix" "crash --backend posix --lock mutex" "lifecycle --backend posix"; do
           "$SHMLAB" $c > /dev/null 2>> /run/tmp/e; echo "rc=$?"
         done
         echo devshm=$(ls /dev/shm | wc -l)
         mkdir /run/small; mount -t tmpfs -o size=1m tmpfs /run/small; dd if=/dev/zero of=/run/small/fill bs=4k count=256 2>/dev/null
         TMPDIR=/run/small "$SHMLAB" racing --backend mmap-file --children 3 > /dev/null 2>> /run/tmp/e; echo "rc=$?"
         echo small=$(ls /run/small | wc -l)
         umount /dev/shm; mount -t tmpfs -o size=64m,mode=1777 tmpfs /dev/shm
         for i in 1 2 3; do
           "$SHMLAB" memory --backend posix --size 40MiB > /dev/null 2>> /run/tmp/m & "$SHMLAB" memory --backend posix --size 40MiB > /dev/null 2>> /run/tmp/m; b=$?; wait $!; echo "pair=$? $b"
         done
         echo devshm2=$(ls /dev/shm | wc -l)
         cat /run/tmp/e /run/tmp/m"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    let codes: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("rc=")).collect();
    assert_eq!(codes, ["2"; 6], "every full-file-system run is refused with exit 2: {text}");
    assert_eq!(value(&text, "devshm"), "1", "only the filler is left in /dev/shm: {text}");
    assert_eq!(value(&text, "small"), "1", "only the filler is left in TMPDIR: {text}");
    for pair in text.lines().filter_map(|l| l.strip_prefix("pair=")) {
        assert!(pair.split(' ').all(|c| c == "0" || c == "2"), "no SIGBUS (135) when two runs race for room: {pair}");
    }
    assert_eq!(value(&text, "devshm2"), "0", "{text}");
    let errors = text.lines().filter(|l| l.starts_with("shmlab: error")).count();
    let about_space = text.lines().filter(|l| l.starts_with("shmlab: error") && l.contains("is full")).count();
    assert_eq!(errors, about_space, "every error names the full file system: {text}");
}

/// Item 13: a second run on a live run's key is told to wait, never to ipcrm.
#[test]
fn a_live_runs_key_is_named_as_such() {
    let Some(out) = sandbox(
        "a_live_runs_key_is_named_as_such",
        r#""$SHMLAB" memory --backend xsi --size 4MiB --hold 3 > /dev/null 2>&1 & sleep 1
         "$SHMLAB" racing --backend xsi --children 3 > /dev/null 2> /run/tmp/e; echo rc=$?; wait; cat /run/tmp/e"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "2", "{text}");
    assert!(text.contains("in use by another shmlab run (pid"), "{text}");
    assert!(!text.contains("ipcrm"), "never suggest removing a live run's object: {text}");
}

/// Item 13: with --backend all, a backend that fails does not throw away
/// the ones that finished: they are printed and saved, and the run exits 2.
#[test]
fn backends_that_finished_are_kept_when_a_later_one_fails() {
    let _serial = serial();
    let before = snapshot();
    let path = std::ffi::CString::new("/etc/passwd").unwrap();
    // SAFETY: a valid C string for the call's duration.
    let key = unsafe { libc::ftok(path.as_ptr(), 91) };
    let foreign = ForeignSegment::create(key, libc::IPC_CREAT | libc::IPC_EXCL);
    let json = json_path("partial");
    let out =
        shmlab(&["racing", "--backend", "all", "--children", "3", "--proj-id", "91", "--json", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stdout(&out).contains("stopped after 2 record(s)"), "{}", stdout(&out));
    let doc = read_json(&json);
    let backends: Vec<&str> =
        doc["records"].as_array().unwrap().iter().map(|r| r["backend"].as_str().unwrap()).collect();
    assert_eq!(backends, ["mmap", "mmap-file"]);
    drop(foreign);
    assert_eq!(snapshot(), before);
}

/// Item 9: the huge page claim holds across mount namespaces (two runs in
/// two sandboxes cannot both change the pool), and the pool is restored.
#[test]
fn the_huge_page_claim_is_machine_wide() {
    if !is_root() {
        return skip("the_huge_page_claim_is_machine_wide", "needs root to change the huge page pool");
    }
    let _serial = serial();
    let pool = read_knob("/proc/sys/vm/nr_hugepages");
    let first = shmlab_command()
        .args(["memory", "--backend", "mmap", "--huge", "2M", "--size", "8MiB", "--reserve-hugepages", "--hold", "3"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = first;
    wait_for_stderr_line(&mut first, "holding");
    let Some(out) = sandbox(
        "the_huge_page_claim_is_machine_wide",
        r#""$SHMLAB" memory --backend mmap --huge 2M --size 8MiB --reserve-hugepages > /dev/null 2> /run/tmp/e; echo rc=$?
         "$SHMLAB" inspect --backend memfd --huge 2M > /dev/null 2>> /run/tmp/e; echo use=$?; cat /run/tmp/e"#,
    ) else {
        let _ = first.kill();
        let _ = first.wait();
        return;
    };
    assert!(first.wait().unwrap().success());
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "2", "{text}");
    assert_eq!(value(&text, "use"), "2", "{text}");
    assert!(text.contains("another shmlab run"), "{text}");
    assert_eq!(read_knob("/proc/sys/vm/nr_hugepages"), pool, "the pool is back where it was");
}

/// Item 16: the words of a failed fork, the flag a hint names, help that
/// cannot be written, and an unwritable --json found before the run.
#[test]
fn messages_say_each_thing_once_and_name_the_right_flag() {
    let out = shmlab(&["racing", "--json", "/nonexistent-dir/r.json"]);
    assert_usage_error(&out, "--json /nonexistent-dir/r.json: its directory /nonexistent-dir does not exist");
    let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
    let help = shmlab_command().arg("--help").stdout(full).output().unwrap();
    assert_eq!(help.status.code(), Some(2), "help into a full device is an error");
    // RLIMIT_NPROC counts every process of the user: with 40 sleepers
    // alive and a limit of 46, the lab's check (20 < 46) passes and fork
    // fails with EAGAIN after a few children. Root is exempt from the
    // limit, so as root this runs as user nobody.
    let limited = |args: &str| {
        let script = format!(
            "pids=; for i in $(seq 40); do sleep 30 & pids=\"$pids $!\"; done; prlimit --nproc=46 \"$0\" {args}; echo rc=$? >&2; kill $pids; wait"
        );
        let mut command = if is_root() {
            let mut c = std::process::Command::new("/usr/bin/setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "sh"]);
            c
        } else {
            std::process::Command::new("sh")
        };
        command.args(["-c", &script, BIN]).output().unwrap()
    };
    if !std::path::Path::new("/usr/bin/prlimit").exists() {
        return skip("messages_say_each_thing_once_and_name_the_right_flag", "no prlimit (util-linux)");
    }
    let _serial = serial();
    let out = limited("racing --children 20");
    let err = stderr(&out);
    if err.contains("rc=0") {
        return skip("messages_say_each_thing_once_and_name_the_right_flag", "RLIMIT_NPROC is not enforced here");
    }
    assert!(err.contains("EAGAIN ("), "the errno by name, its meaning in brackets: {err}");
    assert_eq!(err.matches("EAGAIN").count() + err.matches("Try again").count(), 2, "each said once: {err}");
    assert!(err.contains("use fewer --children"), "{err}");
    let out = limited("crash --lock flock --waiters 20");
    assert!(stderr(&out).contains("use fewer --waiters"), "{}", stderr(&out));
}

/// Item 16: clean says it could not check an entry, not that it is gone.
#[test]
fn clean_says_when_it_cannot_check() {
    if !is_root() {
        return skip("clean_says_when_it_cannot_check", "needs root to act as two users");
    }
    let Some(out) = sandbox(
        "clean_says_when_it_cannot_check",
        r#"NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
         mkdir -m 700 /run/tmp/locked /run/tmp/locked/shmlab-1-x /run/tmp/xdg /run/tmp/xdg/shmlab
         chown -R 65534 /run/tmp/xdg
         printf '{"owner_pid":999999,"owner_start":1,"created_unix":%s,"entry":{"kind":"temp-dir","path":"/run/tmp/locked/shmlab-1-x"}}' $(date +%s) > /run/tmp/xdg/shmlab/r.json
         chown 65534 /run/tmp/xdg/shmlab/r.json
         XDG_RUNTIME_DIR=/run/tmp/xdg $NB "$SHMLAB" clean; echo rc=$?"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "1", "{text}");
    assert!(text.contains("cannot check it: EACCES"), "{text}");
    assert!(!text.contains("already gone"), "{text}");
}

/// Items 6, 7, 8 and the whole promise: SIGKILL of shmlab at random moments
/// in every experiment that creates something, then `shmlab clean`: no
/// object, setting or helper process is left. `SHMLAB_KILLS` sets how many
/// kills (default 60; `make soak` runs 240).
#[test]
fn sigkill_at_any_moment_then_clean_leaves_nothing() {
    let kills: usize = std::env::var("SHMLAB_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let commands = [
        "racing --lock all --children 8",
        "racing --backend all --children 8",
        "crash --waiters 2 --patience-ms 200",
        "lifecycle --backend xsi",
        "lifecycle --backend posix",
        "lifecycle --backend mmap",
        "memory --backend xsi --size 16MiB --hold 1",
        "memory --backend posix --size 16MiB --hold 1",
        "limits --demo",
        "bench locks --procs 2 --ops 20000 --repeats 1",
        "inspect --all",
        "limits --check 4096 --try",
        "memory --backend xsi --huge 2M --size 8MiB --reserve-hugepages --hold 1",
        "memory --compare-pages --size 8MiB",
        "container ipc-namespace",
        "container dev-shm-size",
        "container rmid-forced",
        "container cgroup-charge --limit 512MiB",
        "ftok",
        "memory --compare-pages --access random --size 8MiB",
    ];
    // The last two change the machine's huge page pool and THP setting (as root).
    let _serial = serial();
    // A fixed pseudo-random sequence (so a failure can be replayed) of
    // moments in the first 400 ms of each run.
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut script = String::from(
        r#"state() { echo "$(awk 'NR>1' /proc/sysvipc/shm /proc/sysvipc/sem | wc -l) $(ls -A /dev/shm | wc -l) $(ls -d "$TMPDIR"/shmlab-* 2>/dev/null | wc -l) $(ls -A /run/shmlab 2>/dev/null | wc -l) $(cat /proc/sys/kernel/shmmax /proc/sys/kernel/shmall /proc/sys/kernel/shmmni /proc/sys/vm/nr_hugepages /sys/kernel/mm/transparent_hugepage/shmem_enabled | tr '\n' ' ') $(wc -l < /proc/self/mountinfo)"; }
         helpers() { for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = shmlab ] && [ "$(awk '{print $3}' $p/stat 2>/dev/null)" != Z ] && echo x; done | wc -l; }
         start=$(state); bad=0
         kill_at() { "$SHMLAB" $2 > /dev/null 2>&1 & p=$!; sleep $1; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
           sleep 0.05; h=$(helpers)
           cgroups=$(cat /run/shmlab/*.json 2>/dev/null | grep -o '/sys/fs/cgroup/[^"]*')
           "$SHMLAB" clean > /dev/null 2>&1; now=$(state)
           for g in $cgroups; do [ -d "$g" ] && now="$now cgroup $g"; done
           if [ "$now" != "$start" ] || [ "$h" != 0 ]; then bad=$((bad+1)); echo "LEFT after '$2' killed at $1 s: $now (was $start), $h helpers"; fi; }
        "#,
    );
    for i in 0..kills {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        // Half of the kills in the first 40 ms, where objects are being made.
        let delay_ms = if i % 2 == 0 { seed % 400 } else { seed % 40 };
        let command = commands[i % commands.len()];
        script.push_str(&format!("kill_at {}.{:03} '{command}'\n", delay_ms / 1000, delay_ms % 1000));
    }
    script.push_str("echo bad=$bad\n");
    let Some(out) = sandbox("sigkill_at_any_moment_then_clean_leaves_nothing", &script) else { return };
    let text = stdout(&out);
    assert_eq!(value(&text, "bad"), "0", "{kills} kills:\n{text}{}", stderr(&out));
}

/// Two runs that raised the huge page pool, both killed, then one `clean`:
/// each gives back the pages it added (newest first), and the pool is
/// where it was.
#[test]
fn two_killed_pool_raises_are_both_undone_by_one_clean() {
    if !is_root() {
        return skip("two_killed_pool_raises_are_both_undone_by_one_clean", "needs root to change the huge page pool");
    }
    let _serial = serial();
    let pool = read_knob("/proc/sys/vm/nr_hugepages");
    let Some(out) = sandbox(
        "two_killed_pool_raises_are_both_undone_by_one_clean",
        r#"for p in 201 202; do
           "$SHMLAB" memory --backend xsi --proj-id $p --huge 2M --size 8MiB --reserve-hugepages --hold 10 > /dev/null 2> /run/tmp/e$p &
           pid=$!; until grep -q holding /run/tmp/e$p 2>/dev/null; do sleep 0.05; done
           echo raised$p=$(cat /proc/sys/vm/nr_hugepages); kill -9 $pid; wait $pid 2>/dev/null
         done
         sleep 0.1; "$SHMLAB" clean; echo rc=$?; echo pool=$(cat /proc/sys/vm/nr_hugepages)
         echo segments=$(awk 'NR>1' /proc/sysvipc/shm | wc -l)"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_eq!(value(&text, "rc"), "0", "{text}{}", stderr(&out));
    assert_eq!(value(&text, "pool"), pool, "both raises undone: {text}");
    assert_eq!(value(&text, "segments"), "0", "{text}");
    assert_eq!(read_knob("/proc/sys/vm/nr_hugepages"), pool);
}

/// `limits --try` removes only what its own call created, while another
/// user creates and removes a segment under the same key at the same time.
#[test]
fn limits_try_removes_only_its_own_segment_under_a_busy_key() {
    if !is_root() || !std::path::Path::new("/usr/bin/python3").exists() {
        return skip("limits_try_removes_only_its_own_segment_under_a_busy_key", "needs root and python3");
    }
    let Some(out) = sandbox(
        "limits_try_removes_only_its_own_segment_under_a_busy_key",
        r#"cat > /run/tmp/churn.py <<'PY'
import ctypes, time
libc = ctypes.CDLL(None, use_errno=True)
lost = made = 0
end = time.time() + 3
while time.time() < end:
    i = libc.shmget(0x1234, 4096, 0o1644 | 0o2000)
    if i < 0:
        continue
    made += 1
    if libc.shmctl(i, 0, None) != 0:
        lost += 1
print(f"made={made}")
print(f"lost={lost}")
PY
         setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 /run/tmp/churn.py > /run/tmp/churn.out &
         for i in $(seq 150); do "$SHMLAB" limits --check 4096 --key 0x1234 --try > /dev/null 2>&1; done
         wait; cat /run/tmp/churn.out
         echo left=$(awk 'NR>1 && $10 == 0' /proc/sysvipc/shm | wc -l)"#,
    ) else {
        return;
    };
    let text = stdout(&out);
    assert_ne!(value(&text, "made"), "0", "the other user made segments: {text}{}", stderr(&out));
    assert_eq!(value(&text, "lost"), "0", "root removed nobody's segments: {text}{}", stderr(&out));
    assert_eq!(value(&text, "left"), "0", "root's own segments are all gone: {text}");
}
