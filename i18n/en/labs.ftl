# shmlab in English: racings neighbours: crash, bench locks, bench ipc, schedule, the race trace, the locks and IPC transports.
# Every message must exist in ../zh/labs.ftl with the same arguments (tested).

## crash: what waiters experience when a lock holder dies
crash-nothing-to-hold = { $lock }: there is nothing to hold, so there is no holder to kill; pick a lock (e.g. mutex)
crash-victim-no-lock = crash { $lock }: the victim never took the lock within { $within }
crash-waiters-late = crash { $lock }: the waiters did not start within { $within }
crash-outcome-recovered = recovered: the kernel dropped the { $lock } lock when its holder died, and a waiter took it
crash-outcome-undone = undone: SEM_UNDO reversed the dead holder's semop, so the semaphore went back to 1
crash-outcome-owner-dead-repaired = owner-dead reported and repaired: the next locker got EOWNERDEAD and called pthread_mutex_consistent
crash-outcome-stuck-nonrobust = stuck: the futex word still says locked (1, or 2 with waiters); the dead owner's thread id is only in __owner, which nothing acts on, so no waiter gets it (the waiters were killed)
crash-outcome-stuck = stuck: a { $lock } is only a counter with no owner, so the kernel has nothing to undo when the process dies; its decrement stays and no waiter ever gets through (the waiters were killed)
crash-outcome-no-exclusion = no exclusion: the waiters got the { $lock } while its holder was alive, so its death changes nothing
crash-lock = lock
crash-verdict = verdict
crash-back-after = back after
crash-final = final
crash-killed = killed
crash-verdict-recovered = recovered
crash-verdict-undone = undone
crash-verdict-owner-dead-repaired = owner-dead-repaired
crash-verdict-stuck = stuck
crash-verdict-no-exclusion = no-exclusion
crash-what-happened = What happened:
crash-reading = back after: from the SIGKILL of the holder to the first waiter holding the lock. final: the counter against what it would be if every waiter got the lock (each adds one; the killed holder never adds its one). killed: waiters still stuck at the end of the patience window, killed by shmlab. A lock the kernel knows about (file locks, SysV semaphores with SEM_UNDO, the robust mutex's list) is cleaned up when its holder dies. A semaphore or plain mutex is only a word in shared memory: nothing records who holds it, so nobody can release it for a dead holder.

## bench locks: what a protected increment costs
bench-lock = lock
bench-procs = procs
bench-ops-per-proc = ops/proc
bench-ns-per-op = ns/op (median)
bench-vs-no-lock = vs no lock
bench-spread = spread
bench-acquisitions = acq. min/max
bench-exact = exact
bench-yes = yes
bench-no = NO
bench-every-repeat = Every repeat, ns/op:
bench-lock-with-procs = { $lock } with { $procs }
bench-reading = ns/op is wall time from the start signal to the last process reaped, divided by all increments (the median of the repeats; spread: the fastest and slowest repeat, all of them with --long). atomic, both mutexes and both POSIX semaphores stay in user space when uncontended (one atomic instruction on a futex word); flock, fcntl, ofd and sysv-sem enter the kernel twice per increment. With several processes the lock's cache line moves between CPUs and waiters sleep and wake in the kernel. acq. min/max: acquisitions each process made while all were still running (equal = fair; 0 means that process never ran while the other did). ns/op includes the start-up of the processes, spread over --ops increments: with fewer than the default 200000, the cheapest locks look a few ns dearer than they are.
bench-not-started = bench { $lock } with { $procs } process(es): a process died or did not start within { $within }; nothing was measured
bench-not-finished = bench { $lock } with { $procs } process(es) did not finish within { $within }; use a smaller { $ops }
bench-process-ended = bench { $lock } with { $procs } process(es): a process ended: { $ended }

## children: forking and reaping
children-waitpid-failed = waitpid failed: { $errno }
children-fork-threads = fork refused: shmlab has more than one thread, and a child forked from it could deadlock; this is a bug in shmlab, please report it
children-nproc-is = RLIMIT_NPROC is { $n }
children-nproc-unlimited = RLIMIT_NPROC is unlimited
children-fork-failed = fork failed after { $forked } processes: { $errno }; the system allows no more processes ({ $limit }, see also /proc/sys/kernel/pid_max)
children-use-fewer = use fewer { $param }
children-too-many = { $param } { $count }: { $count } processes is more than the system allows ({ $name } is { $limit }); use fewer

## bench ipc: parameters, failures, skipped points
ipc-cpus-bad = { $text } is not two CPU numbers: write A,B (e.g. 0,1)
ipc-memcpy-not-transport = memcpy is the copy ceiling, not a transport: it is measured with every throughput run
ipc-sizes-empty = is empty: give at least one message size
ipc-size-too-large = { $size } is larger than the shared-memory ring holds ({ $most } at most)
ipc-cpu-not-allowed = { $a },{ $b }: CPU { $cpu } does not exist or is not allowed here; use CPUs from { $allowed }
ipc-same-cpu = both sides pinned to CPU { $cpu }
ipc-one-cpu = this process may use { $n } CPU
ipc-no-spin = { $why }: a spinning side would only burn its time slice while the other waits to run; measure futex or eventfd here, or give the sides two CPUs
ipc-control-page = the benchmark's control page
ipc-side-ended = bench ipc { $label }: a side ended: { $ended }
ipc-not-finished = bench ipc { $label }: the sides did not finish within { $within }; give fewer { $messages } or a shorter { $duration }
ipc-corrupt = bench ipc { $label }: { $corrupt } message(s) arrived corrupt
ipc-mode-latency = latency
ipc-mode-throughput = throughput

## bench ipc: the tables and their reading
ipc-transport = transport
ipc-size = size
ipc-one-way-median = one-way median
ipc-p99 = p99
ipc-syscalls = syscalls/msg
ipc-cpus = CPUs A,B
ipc-msg-rate = msg/s
ipc-gib-rate = GiB/s
ipc-pinned = { " pinned" }
ipc-skipped = skipped
ipc-one-process = one process
ipc-latency-title = Latency (ping-pong; one-way = half a round trip)
ipc-throughput-title = Throughput (a stream from A to B)
ipc-skipped-title = Skipped:
ipc-reading = Every message is checked byte for byte by its receiver. A pipe, a socket or a message queue costs two copies (into the kernel and out of it) and two system calls per message (more when a large message takes several reads and writes), and waking the receiver costs a scheduler wake-up. The shared-memory ring (shm) copies the message into the shared mapping and out of it again (0-copy: written and checked in place, no copy at all) and makes no system call when it spins: a message then costs the transfer of its cache lines from one CPU to the other. With futex or eventfd the waiting side sleeps, so each message pays a system call and a wake-up again: shared memory saves the copies, not the cost of waking a sleeper. memcpy is the copy ceiling of this machine, within one process. A one-way time is half a round trip, timed over batches of round trips (batch in the JSON) so that reading the clock does not count; p99 is the 99th percentile of those batches.

## grid: the line under a table that lists what every row has in common
grid-list-gap = { ", " }

## locks: objects and failures
lock-shared-region = the shared region
lock-sysv-sem-set = a set of 1 semaphore (key { $key })
lock-sysv-sem-set-id = semaphore set { $id }
lock-sysv-sem-limits-hint = kernel.sem limits may be exhausted; see `ipcs -s` and `ipcs -ls`
lock-sysv-sem-keys-taken = { $attempts } random semaphore keys in a row were taken; see `ipcs -s`: something holds very many sets
lock-named-sem-names-taken = { $attempts } random names in a row already existed in /dev/shm: something is creating shmlab-* names there; look with `ls -l /dev/shm`

## output: writing the text and the JSON
output-cannot-write = cannot write output: { $error }
output-cannot-write-path = cannot write { $path }: { $error }; choose a writable path for --json
output-fifo-no-reader = --json { $path }: a FIFO that no process reads; start the reader first
output-json-refused = --json { $path }: { $why }; choose a writable path
output-is-directory = is a directory
output-cannot-be-written = cannot be written ({ $error })
output-directory-not-writable = its directory { $dir } cannot be written ({ $error })
output-not-a-directory = { $dir } is not a directory
output-directory-missing = its directory { $dir } does not exist ({ $error })
output-cannot-examine = cannot be examined ({ $error })

## ipc: the transports' objects and refusals
ipc-channel = the benchmark's channel
ipc-datagram-too-big = a { $size }-byte datagram does not fit a UNIX datagram socket here ({ $errno }): net.core.wmem_default/wmem_max bound it
ipc-memcpy-measurement = memcpy is a measurement, not a transport
ipc-mq-names-collide = random POSIX message queue names kept colliding; see /dev/mqueue
ipc-mq-msgsize = messages of { $size } bytes are above fs.mqueue.msgsize_max ({ $msgsize_max }) for this user, or the queue's { $messages } messages above fs.mqueue.msg_max ({ $msg_max })
ipc-mq-rlimit = queues of { $size }-byte messages exceed RLIMIT_MSGQUEUE ({ $limit } bytes per user, `ulimit -q`)
ipc-unlimited = unlimited
ipc-mq-queues-max = fs.mqueue.queues_max is reached
ipc-mq-see-man = see mq_open(3)
ipc-mq-open-failed = mq_open failed: { $errno }: { $why }
ipc-ring-too-large = { $size } is larger than the shared-memory ring allows ({ $most } bytes)
ipc-ring-wakeup = the ring's wake-up
ipc-not-a-stream = { $transport } is not a byte stream
ipc-sysv-mq-too-big = a { $size }-byte message is above kernel.msgmax ({ $msgmax } bytes) or kernel.msgmnb ({ $msgmnb }): System V queues carry small messages; as root, raise both with sysctl to measure larger ones
ipc-sysv-mq-object = a message queue (key { $key })
ipc-sysv-mq-hint = kernel.msgmni may be exhausted; see `ipcs -q` and `ipcs -lq`
ipc-sysv-mq-id = message queue { $id }
ipc-sysv-mq-keys-taken = { $attempts } random message queue keys in a row were taken; see `ipcs -q`

## chart titles
bench-chart-cost = What a protected increment costs
ipc-chart = Latency and throughput against message size
