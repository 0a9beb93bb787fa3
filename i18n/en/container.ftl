# shmlab in English: container: IPC namespaces, /dev/shm size, cgroup charge, privilege, shm_rmid_forced.
# Every message must exist in ../zh/container.ftl with the same arguments (tested).

## The lab's checks (src/experiment/container/mod.rs)
container-size-range = { $param } { $value } must be a whole number of MiB from { $low } to { $high }
container-name-a-step = name one step ({ $steps }) or give { $all }
container-cannot-run = container { $step } cannot run here: { $why }
# A call that failed inside the namespaces: `shmat failed: EINVAL (...)`.
container-call-failed = { $call } failed: { $errno }
container-free-memory = free some memory first
container-use-smaller = use a smaller { $param }
container-no-meminfo = cannot read /proc/meminfo: { $error }
container-room-memavailable = this step touches up to { $bytes } at once, but only { $available } is available (MemAvailable, keeping { $margin } spare): { $fix }
container-room-cgroup = this step touches up to { $bytes } at once, but the cgroup { $cgroup } has only { $room } of room under its { $file }: { $fix }
container-child-timeout = a child did not finish in time and was killed
container-child-ended = a child ended with { $how }
# What a lesson begins with when the kernel did not do what the step expects
# (the English mark is also recognised in runs made in another language).
container-unexpected-mark = UNEXPECTED

## Where an observation happened (the records' `place`)
container-place-host = host
container-place-namespace = namespace
container-place-namespace-a = namespace A
container-place-namespace-b = namespace B
container-place-container = container
container-place-cgroup-a = cgroup A
container-place-cgroup-b = cgroup B
container-yes = yes
container-no = no

## ipc-namespace
container-ftok-collisions = 16 fresh files in a row gave ftok keys the host already uses: remove stale segments (ipcs -m) and run again
container-host-has-none = the host has no segment with the key
container-host-has-one = the host has 1 segment with the key
container-host-has-many = the host has { $n } segments with the key
container-host-lists-none = the host lists no segment with the key
container-host-lists-one = the host lists 1 segment with the key
container-host-lists-many = the host lists { $n } segments with the key
container-key-shows = key { $key }; { $host }
container-key-lesson = a key is made from the file's inode and device, so every namespace that sees the file computes the same key
container-create-inside-call = unshare({ $flags }); shmget(key, 64 MiB, IPC_CREAT|IPC_EXCL|0600); shmat; write; shmdt
container-create-inside-shows = shmid { $shmid } in A; /proc/sysvipc/shm lists it inside; { $host }
container-create-inside-lesson = the segment exists only in A's namespace: `ipcs` on the host does not list it
container-create-inside-unexpected = UNEXPECTED: the host lists a segment with A's key
container-found-shmid = found shmid { $shmid }
container-host-lookup-lesson = the host's namespace has no segment with the key: a key is looked up only in the caller's IPC namespace
container-host-lookup-unexpected = UNEXPECTED: the host found a segment with A's key
container-posix-own-shows = A's /dev/shm lists it: { $inside }; the host's /dev/shm has it: { $host }
container-posix-own-lesson = a POSIX object is a file in whatever tmpfs the process sees at /dev/shm: a container with its own /dev/shm has its own names
container-posix-own-unexpected = UNEXPECTED: A's POSIX object is not where its mount namespace puts it
container-same-key-call = unshare({ $flags }); shmget(key, 4 KiB, IPC_CREAT|IPC_EXCL|0600); shmat; write 2
container-same-key-shows = shmid { $shmid } in B, created with IPC_EXCL while A's segment with the same key exists; { $host }
container-same-key-lesson = IPC_EXCL did not fail: in B the key names nothing yet, so the same key makes a second, different segment
container-posix-host-call = shm_open("{ $name }", O_CREAT|O_EXCL) with the host's mounts
container-posix-host-shows = the host's /dev/shm has it: { $host }
container-posix-host-lesson = a new IPC namespace alone does not separate POSIX objects: B shares the host's /dev/shm, so the host (and every container sharing that mount) sees B's name
container-posix-host-unexpected = UNEXPECTED: B's POSIX object is not in the host's /dev/shm
container-two-segments-call = shmat(A's shmid); read the first word
container-two-segments-shows = A reads { $value } after B wrote 2 to the segment of the same key
container-two-segments-lesson = one key, two segments: each namespace has its own
container-two-segments-unexpected = UNEXPECTED: A sees B's write
container-last-process-call = A's only process exits without IPC_RMID (the segment has nattch 0)
# The reading quotes what follows "the namespace is gone; ".
container-namespace-gone = the namespace is gone; { $detail }
container-shmem-fell = Shmem on the host fell by { $fell } within { $ms } ms
container-shmem-moved = Shmem on the host moved by { $moved } MiB meanwhile, which other programs' shared memory explains as well as ours
container-shmem-did-not-fall = the namespace is gone, but Shmem on the host did not fall within { $limit } s
container-last-process-lesson = a namespace's segments are destroyed with it, removed or not, once nothing holds it: here its last process; an open /proc/PID/ns/ipc, a bind mount of it or a process that joined it keeps it, and them, alive (a Kubernetes pod's pause container holds the pod's IPC namespace across container restarts)
container-last-process-unexpected = UNEXPECTED: Shmem did not fall by the segment's size after the namespace ended
container-last-process-busy = other programs allocated or freed shared memory at the same time, so the fall of this namespace's 64 MiB could not be seen: run it again on a quieter machine

## The process in the namespaces (sandbox.rs, mailbox.rs)
container-mount-tmpfs-failed = mount -t tmpfs on { $target }: { $errno }
container-remount-failed = mount -o remount,size= { $target }: { $errno }
container-refuse-mount = refusing to mount: this process shares the host's mount namespace
container-report-not-taken = shmlab did not take the report in time
container-report-unreadable = a report from the namespaces could not be read: { $error }
container-inside-failed = inside the namespaces: { $why }
container-ended-before-report = the process in the namespaces ended ({ $how }) before it reported
container-status-unknown = status unknown
container-ended-badly = the process in the namespaces did not end well: { $how }
container-mailbox = a 1 MiB shared mailbox for the processes in the namespaces
container-sent-nothing = the process in the namespaces sent nothing within { $limit }
container-message-unreadable = a message from the namespaces could not be read: { $error }

## Who runs a step, and why it cannot (privilege.rs)
# Shown as `ipc-namespace (as root)`.
container-who-root = root
container-who-uid = uid { $uid }
container-who-user-namespace = uid { $uid }, root in a user namespace of its own
container-mount-refused = a security module refuses mount here, as AppArmor's docker-default profile does (`docker run --security-opt apparmor=unconfined`)
container-no-sys-admin = this root lacks CAP_SYS_ADMIN, as the root of a container does (`docker run --cap-add SYS_ADMIN`), or a seccomp filter refuses unshare
container-root-refused = even as root, { $call } failed with { $error }: { $why }; a user namespace is refused too. Or run shmlab on the host
container-user-refused = as uid { $uid } the namespaces must be made in a user namespace, and { $call } failed with { $error }: { $why }
container-probe-uid-map = writing /proc/self/uid_map (mapping our uid to root)
container-probe-private-mounts = making the mounts private in the new mount namespace
container-fix-root = or run shmlab as root (sudo)
container-userns-max-zero = user.max_user_namespaces is 0; `sysctl -w user.max_user_namespaces=10000` allows them, { $fix }
container-userns-clone-zero = kernel.unprivileged_userns_clone is 0 (a Debian kernel patch); `sysctl -w kernel.unprivileged_userns_clone=1` allows them, { $fix }
container-userns-apparmor = AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, Ubuntu 23.10 and later): give shmlab an AppArmor profile with `userns,`, or `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, { $fix }
container-userns-seccomp = no sysctl here forbids user namespaces, so a seccomp filter (Docker's default profile refuses unshare) or a kernel without CONFIG_USER_NS does; { $fix }
container-no-memory-controller = this machine has no memory cgroup controller (no memory line in /proc/self/cgroup, or its files cannot be read)
container-cgroupfs-read-only = cannot make cgroups: { $mount } is mounted read-only here, as in most containers: run this step on the host
container-cgroup-not-ours = making a memory cgroup needs root, or a cgroup delegated to you: { $parent } belongs to another user. Run `sudo shmlab container cgroup-charge`, or on cgroup v2 run shmlab in a child group of a delegated unit (`systemd-run --user -p Delegate=yes --scope`, then move shmlab into a group of its own below the scope and enable memory in the scope's cgroup.subtree_control)
container-cgroup-dir-read-only = cannot make cgroups in { $parent }: the cgroup file system is mounted read-only here, as in most containers: run this step on the host
container-cgroup-dir-refused = cannot make cgroups in { $parent }: { $errno }; making a memory cgroup needs root, or a cgroup delegated to you
container-cgroup-no-room = the cgroup { $cgroup } has { $room } of room under its { $file }, and this step charges up to { $need }: give it more, or use a smaller { $param }

## dev-shm-size
container-df = df /dev/shm: { $used } of { $total } used
container-exited-normally = exited normally
container-killed-by = was killed by { $signal }
container-succeeded = succeeded
container-failed-with = failed with { $errno }
container-unreadable = unreadable
container-unknown-fs = an unknown file system
container-mount-lesson = the container's /dev/shm, as `docker run` mounts it by default (--shm-size=64m)
container-ftruncate-shows = { $outcome }; the file has { $allocated } allocated; { $df }
container-ftruncate-lesson = a tmpfs file is sparse: sizing it allocates nothing, so nothing is checked against the tmpfs's size
container-ftruncate-unexpected = UNEXPECTED: sizing a tmpfs file failed
container-mmap-lesson = mapping allocates nothing either
container-mmap-unexpected = UNEXPECTED: the mapping failed
container-touch-call = a child writes every page in order
# `ended` is container-exited-normally or container-killed-by.
container-touch-shows = the child { $ended } after touching { $reached } of { $size }; { $df }
container-touch-lesson = the first page past the tmpfs's size cannot be allocated, and a page fault has no errno to return: the toucher gets SIGBUS, exactly at the tmpfs's size (PyTorch's "DataLoader worker killed by signal: Bus error")
container-touch-unexpected = UNEXPECTED: no SIGBUS at the tmpfs's size
container-fallocate-shows = { $outcome }; { $df }
container-fallocate-lesson = asking for every page up front turns the SIGBUS into an ENOSPC the program can report (PostgreSQL does this: "could not resize shared memory segment ... No space left on device"); the tmpfs gives back what the failed call had allocated
container-fallocate-unexpected = UNEXPECTED: posix_fallocate did not fail with ENOSPC
container-shmmax-unlimited = { $bytes } bytes, no practical limit
container-xsi-call = shmget(IPC_PRIVATE, { $size }, 0600); shmat; a child writes every page
container-xsi-shows = the child { $ended } after touching { $reached }; { $df }; this namespace's shmmax is { $shmmax }
container-xsi-lesson = a SysV segment is a file on the kernel's internal shm mount, not on /dev/shm: the container's /dev/shm size does not limit it, only shmmax, shmall and memory (and the memory cgroup) do
container-xsi-unexpected = UNEXPECTED: the SysV segment could not be touched whole
container-bigger-call = mount -o remount,size={ $size }m /dev/shm; the same object, touched
container-bigger-shows = the child { $ended } after touching { $reached }; { $df }
container-bigger-lesson = the fix Docker offers (`docker run --shm-size=256m`, or `shm_size:` in Compose); in Kubernetes, an emptyDir with medium: Memory mounted on /dev/shm, whose tmpfs current kubelets size to the smaller of its sizeLimit and the pod's memory limit (kubernetes/kubernetes#94444)
container-bigger-unexpected = UNEXPECTED: a bigger tmpfs did not fix it
container-cannot-create = cannot create { $path }: { $error }
container-ftruncate-failed = ftruncate { $path }: { $error }
container-file-call = open("{ $path }", O_CREAT); ftruncate; mmap MAP_SHARED; touched
container-file-shows = the child { $ended } after touching { $reached }; the file is on { $kind }
container-file-lesson = what Chrome's --disable-dev-shm-usage does: shared memory in a file under /tmp, limited by that file system instead (and written back to it)
container-file-unexpected = UNEXPECTED: the file could not be touched whole
container-fallback-no-room = the file fallback writes { $bytes } (and keeps 64 MiB spare) in { $dir }, which has { $free } free: free some space, set TMPDIR elsewhere, or use a smaller { $param }
container-host-dev-shm-call = statvfs("/dev/shm") before and after
container-host-dev-shm-shows = the host's /dev/shm is { $before } before and { $after } after
container-host-dev-shm-lesson = the container's tmpfs was mounted in its own mount namespace only, and went with it
container-host-dev-shm-unexpected = UNEXPECTED: the host's /dev/shm changed size

## cgroup-charge
container-no-row = no row: the segment is gone
# What every cgroup-charge observation shows, followed by both groups' charges.
container-charge-shows = { $shows }; A { $a } (shmem { $a_shmem }), B { $b } (shmem { $b_shmem })
container-child-late = the child in { $group } did not finish within { $limit }
container-cgroup-child-killed = a child of the cgroup step was killed by { $signal }
container-cgroup-child-unfinished = a child of the cgroup step did not finish
container-cgroup-child-failed = a child of the cgroup step { $why }
container-cgroup-no-place = cgroup-charge needs a place for memory cgroups
container-control-page = the control page
container-groups-call = mkdir { $dirs }; echo { $limit } > each one's { $file }
container-groups-shows = two { $version } memory groups, each limited to { $limit }
container-groups-lesson = a container is a cgroup like these: its limit is on everything charged to it
# On stderr while the step runs (tests read the English form).
container-groups-made = cgroups { $a } and { $b } made under { $parent }
container-created-call = shmget(IPC_PRIVATE, { $size }, 0600) from shmlab's own cgroup
container-created-shows = /proc/sysvipc/shm: { $row }
container-created-lesson = creating a segment allocates no page, so it charges nobody
container-touched-call = a child in A: echo $$ > cgroup.procs; shmat; write every page
container-touched-shows = the child in A touched { $size }
container-touched-lesson = the pages are charged to the group of the process that touched them first: a /dev/shm or an emptyDir of medium Memory counts against the container's memory limit
container-touched-unexpected = UNEXPECTED: A was not charged for the pages its child touched
container-exited-call = the child in A exits (its attachment goes with it)
container-no-process = no process
container-one-process = 1 process
container-processes = { $n } processes
container-exited-shows = A holds { $holds }; /proc/sysvipc/shm: { $row }
container-exited-lesson = the charge outlives the process: it belongs to the pages, and the pages to the segment, which still exists (a cgroup can stay charged with nobody in it)
container-exited-unexpected = UNEXPECTED: the charge went with the process
container-read-call = a child in B: echo $$ > cgroup.procs; shmat; read every page
container-read-shows = the child in B read all { $size }
container-read-lesson = a process that only maps and reads pages someone else touched allocates nothing, so its group is not charged: the first toucher pays for everybody
container-read-unexpected = UNEXPECTED: B was charged for pages it only read
container-removed-shows = the segment is destroyed (nattch was 0)
container-removed-lesson = removing the segment frees its pages and releases the charge
container-charge-stayed = UNEXPECTED: the charge stayed after the segment was removed
container-past-limit-call = shmget(IPC_PRIVATE, { $size }); a child in A writes every page
container-exited = exited
container-past-limit-shows = the child { $ended } after touching { $reached }; A's oom_kill count { $before } → { $after }
container-past-limit-lesson = past the limit the kernel tries to reclaim, cannot (shared memory only goes to swap), and the group's OOM killer ends the toucher with SIGKILL: not a SIGBUS, and not an error a program can handle
container-past-limit-unexpected = UNEXPECTED: touching past the limit did not end in an OOM kill
container-oom-removed-call = shmctl(shmid, IPC_RMID, NULL) on the segment the killed child was touching
container-oom-removed-shows = the segment is destroyed
container-oom-removed-lesson = the OOM kill freed nothing: the group stayed at its limit, charged for the segment, until the segment itself was removed (a Kubernetes emptyDir in memory outlives a crashed container, and so does what it holds)

## rmid-forced
container-creator-failed = the creating child failed ({ $how })
container-rmid-write-failed = writing { $value } to { $file } in the new namespace: { $error } (kernels before the IPC sysctls became per-namespace-owner let only the host's root set them; run as root)
container-rmid-host-namespace = this process is still in the host's IPC namespace; refusing to set shm_rmid_forced
container-rmid-default-shows = { $value } in the new namespace (the host's is { $host })
container-rmid-default-lesson = each IPC namespace has its own kernel.shm* values, starting from the defaults
container-still-there = still there
container-still-there-nattch-0 = still there, nattch 0
container-gone = gone
container-gone-ipc-stat = gone (IPC_STAT fails)
container-rmid-creator-call = shm_rmid_forced={ $value }; a child: shmget(IPC_PRIVATE, 1 MiB); exit without shmat
container-rmid-creator-shows = shmid { $shmid } after its creator exited: { $state }
container-off-creator-lesson = by default a segment outlives its creator: nobody attached, nobody removed it, and it stays (the classic SysV leak)
container-off-creator-unexpected = UNEXPECTED: the segment went with its creator
container-off-detach-call = shm_rmid_forced=0; a child: shmget; shmat; shmdt; exit
container-off-detach-shows = shmid { $shmid } after its last detach and its creator's exit: { $state }
container-off-detach-lesson = the last detach does not destroy it either: only IPC_RMID does
container-off-detach-unexpected = UNEXPECTED: the segment went at its last detach
container-turn-on-shows = of the two segments left above, { $left } remain
container-turn-on-lesson = turning it on destroys at once every segment whose creator is gone and that nobody has attached (shm_destroy_orphaned)
container-turn-on-unexpected = UNEXPECTED: orphaned segments survived turning it on
container-on-creator-lesson = a segment nobody has attached is destroyed when its creator exits
container-on-creator-unexpected = UNEXPECTED: the segment outlived its creator
container-on-detach-call = shm_rmid_forced=1; a child: shmget; shmat; shmdt; shmctl(IPC_STAT) while it still runs
container-on-detach-shows = shmid { $shmid } right after the detach, its creator still running: { $state }
container-on-detach-lesson = any segment is destroyed at its last detach, as if IPC_RMID had been called: sharing through a segment that is detached between uses breaks
container-on-detach-unexpected = UNEXPECTED: the segment survived its last detach
container-host-unchanged-call = cat /proc/sys/kernel/shm_rmid_forced on the host, before and after
container-host-unchanged-shows = { $before } before, { $after } after
container-host-unchanged-lesson = the namespace's value was its own: the host's setting was never touched
container-host-unchanged-unexpected = UNEXPECTED: the host's shm_rmid_forced changed

## The step's memory cgroups (memory_group.rs, src/kernel/memcg.rs)
container-cannot-make-cgroup = cannot make the cgroup { $dir }: { $error }
container-cannot-stat = cannot stat { $path }: { $error }
container-cannot-write = cannot write { $value } to { $path }: { $error }
container-cgroup-left = the cgroup { $dir } could not be removed yet; `shmlab clean` removes it once it is empty
cgroup-no-delegation = neither our cgroup { $dir }, nor its parent (if delegated to us), nor the root of the cgroup v2 hierarchy at { $root } lists `memory` in cgroup.subtree_control, so no group made here would have a memory limit

## The observations as text (src/report/table/container.rs)
container-skipped = { $step }: skipped: { $why }
container-step-as = { $step } (as { $who })
# One observation's first line: `host-lookup [host]: shmget(key, 0, 0)`.
container-observation = { $id } [{ $place }]: { $call }
container-kernel = kernel: { $shows }
container-rows-inside = rows inside: { $rows }
container-rows-on-host = rows on host: { $rows }
container-rows-none = (none)
container-reading = Reading: { $reading }

## The reading under each step
container-reading-killed = was killed by { $signal } after { $reached }
container-reading-touched-all = touched all { $reached }
container-reading-did = did
container-reading-did-not = did not
container-reading-found = found
container-reading-created = created
container-reading-did-not-create = did not create
container-reading-still-read = still read
container-reading-no-longer-read = no longer read
container-reading-ipc-namespace = the host's shmget found nothing for the key namespace A used ({ $errno }); namespace B { $created } a second segment with the same key under IPC_EXCL, and A { $read } its own value afterwards. POSIX names are files: the host { $own } see the one in A's own /dev/shm and { $host } see B's, made with the host's mounts. When A's last process exited, { $last }.
container-reading-nothing = nothing
container-reading-dev-shm-size = a { $size } POSIX object was sized and mapped in a { $tmpfs } /dev/shm without complaint; the child that touched it { $touch }; posix_fallocate of the same size said { $errno } up front; a SysV segment as large was not on /dev/shm at all, and its child { $xsi }. A bigger tmpfs, or a file on another file system, holds the whole object.
container-reading-cgroup-charge = cgroup A was charged { $touched } of shared memory for the pages its child touched, and still { $exited } after the child exited; cgroup B, whose child read every page, was charged { $read } of it. Removing the segment left A { $removed }. Past the limit, A's next toucher { $past }, and A's OOM kill count was { $kills }.
container-reading-went = went
container-reading-stayed = stayed
container-reading-changed = changed
container-reading-did-not-change = did not change
container-reading-rmid-forced = with shm_rmid_forced=0 a segment { $off_creator } after its creator exited and { $off_detach } after its last detach; turning the setting on, the orphans { $turn_on } at once; with 1, a segment { $on_creator } with its creator and another { $on_detach } at its last detach while its creator still ran. The host's value { $host }.

## The cgroup step's table
container-charges-title = The two cgroups after each action, in MiB
container-column-after = after
container-column-a-charged = A charged
container-column-a-shmem = A shmem
container-column-b-charged = B charged
container-column-b-shmem = B shmem
container-column-a-oom-kills = A OOM kills
