# shmlab 的中文文本：与 racing 相邻的实验：crash、bench locks、bench ipc、schedule、竞态轨迹、各种锁和 IPC 传输方式。
# 每条消息都必须在 ../en/labs.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## crash：锁的持有者死掉时，等待者会遇到什么
crash-nothing-to-hold = { $lock }：没有可以持有的东西，也就没有可杀的持有者；请选一种锁（例如 mutex）
crash-victim-no-lock = crash { $lock }：预定被杀的子进程在 { $within } 内始终没有拿到锁
crash-waiters-late = crash { $lock }：等待者在 { $within } 内没有全部启动
crash-outcome-recovered = 已恢复：持有者死时，内核释放了它的 { $lock } 锁，一个等待者随即拿到了锁
crash-outcome-undone = 已撤销：SEM_UNDO 撤销了已死持有者的 semop，信号量回到 1
crash-outcome-owner-dead-repaired = 报告了持有者死亡并已修复：下一个加锁者得到 EOWNERDEAD，随后调用了 pthread_mutex_consistent
crash-outcome-stuck-nonrobust = 卡死：futex 字仍然表示已加锁（1，有等待者时为 2）；已死持有者的线程号只记在 __owner 里，没有任何代码会理会它，所以没有等待者能拿到锁（等待者已被杀掉）
crash-outcome-stuck = 卡死：{ $lock } 只是一个计数器，不记录持有者，所以进程死时内核无从撤销；它减掉的 1 一直留着，没有等待者能通过（等待者已被杀掉）
crash-outcome-no-exclusion = 没有互斥：持有者还活着时，等待者就已经拿到了 { $lock } 锁，所以持有者死不死都无关紧要
crash-lock = 锁
crash-verdict = 判定
crash-back-after = 恢复用时
crash-final = 最终值
crash-killed = 被杀
crash-verdict-recovered = 已恢复
crash-verdict-undone = 已撤销
crash-verdict-owner-dead-repaired = 持有者死亡已修复
crash-verdict-stuck = 卡死
crash-verdict-no-exclusion = 没有互斥
crash-what-happened = 发生了什么：
crash-reading = 恢复用时：从用 SIGKILL 杀死持有者，到第一个等待者拿到锁。最终值：计数器的实际值 / 每个等待者都拿到锁时应有的值（每个等待者加一；被杀的持有者那一次永远加不上）。被杀：等待期满时仍卡住、由 shmlab 杀掉的等待者个数。内核知道的锁（文件锁、带 SEM_UNDO 的 SysV 信号量、robust 互斥锁的链表），持有者一死就会被清理。信号量或普通互斥锁只是共享内存里的一个字：没有任何地方记录谁持有它，所以也没有谁能替死去的持有者释放它。

## bench locks：一次受保护的加一要花多少
bench-lock = 锁
bench-procs = 进程数
bench-ops-per-proc = 每进程次数
bench-ns-per-op = ns/次（中位数）
bench-vs-no-lock = 与无锁相比
bench-spread = 范围
bench-acquisitions = 加锁次数 最少/最多
bench-exact = 准确
bench-yes = 是
bench-no = 否
bench-every-repeat = 每次重复的 ns/次：
bench-lock-with-procs = { $lock }，{ $procs } 个进程
bench-reading = ns/次：从发出开始信号到最后一个进程被回收的墙钟时间，除以加一的总次数（取各次重复的中位数；范围：最快和最慢的一次重复，加 --long 可列出全部）。atomic、两种互斥锁和两种 POSIX 信号量在无竞争时都不离开用户态（在 futex 字上执行一条原子指令）；flock、fcntl、ofd 和 sysv-sem 每次加一都要进两次内核。有多个进程时，锁所在的缓存行要在 CPU 之间来回迁移，等待者要在内核里睡眠、再被唤醒。加锁次数 最少/最多：所有进程都还在运行期间，每个进程拿到锁的次数（相等即公平；0 表示别的进程运行时这个进程一次也没运行过）。ns/次包括进程的启动开销，它被摊到 --ops 次加一上：少于默认的 200000 次时，最便宜的锁看起来会比实际贵几个 ns。
bench-not-started = bench { $lock }，{ $procs } 个进程：有进程死了，或没有在 { $within } 内启动；没有测到任何数据
bench-not-finished = bench { $lock }，{ $procs } 个进程：没有在 { $within } 内完成；请把 { $ops } 调小
bench-process-ended = bench { $lock }，{ $procs } 个进程：有一个进程结束了：{ $ended }

## children：fork 与回收子进程
children-waitpid-failed = waitpid 失败：{ $errno }
children-fork-threads = 拒绝 fork：shmlab 有不止一个线程，从它 fork 出的子进程可能死锁；这是 shmlab 的 bug，请报告给我们
children-nproc-is = RLIMIT_NPROC 为 { $n }
children-nproc-unlimited = RLIMIT_NPROC 没有限制
children-fork-failed = fork 了 { $forked } 个进程之后失败：{ $errno }；系统不允许再创建更多进程（{ $limit }，另见 /proc/sys/kernel/pid_max）
children-use-fewer = 请减少 { $param }
children-too-many = { $param } { $count }：{ $count } 个进程超出了系统允许的数量（{ $name } 为 { $limit }）；请减少进程数

## bench ipc：参数、失败、跳过的测量点
ipc-cpus-bad = { $text } 不是两个 CPU 编号：请写成 A,B（例如 0,1）
ipc-memcpy-not-transport = memcpy 是复制速度的上限，不是一种传输方式：每次测吞吐量时都会顺带测它
ipc-sizes-empty = 为空：请至少给出一个消息大小
ipc-size-too-large = { $size } 超过了共享内存环形缓冲区能容纳的大小（最多 { $most }）
ipc-cpu-not-allowed = { $a },{ $b }：CPU { $cpu } 不存在，或这里不允许使用；请从 { $allowed } 中选
ipc-same-cpu = 两端都绑定在 CPU { $cpu } 上
ipc-one-cpu = 这个进程只能用 { $n } 个 CPU
ipc-no-spin = { $why }：自旋的一端只会白白耗尽自己的时间片，而另一端在等着运行；请在这里测 futex 或 eventfd，或者给两端各一个 CPU
ipc-control-page = 基准测试的控制页
ipc-side-ended = bench ipc { $label }：有一端结束了：{ $ended }
ipc-not-finished = bench ipc { $label }：两端没有在 { $within } 内完成；请减少 { $messages } 或缩短 { $duration }
ipc-corrupt = bench ipc { $label }：有 { $corrupt } 条消息到达时已损坏
ipc-mode-latency = 延迟
ipc-mode-throughput = 吞吐量

## bench ipc：表格及其解读
ipc-transport = 传输方式
ipc-size = 大小
ipc-one-way-median = 单程中位数
ipc-p99 = p99
ipc-syscalls = 系统调用/条
ipc-cpus = CPU A,B
ipc-msg-rate = 条/秒
ipc-gib-rate = GiB/s
ipc-pinned = { " 已绑定" }
ipc-skipped = 跳过
ipc-one-process = 单个进程
ipc-latency-title = 延迟（乒乓往返；单程 = 往返的一半）
ipc-throughput-title = 吞吐量（从 A 到 B 的连续数据流）
ipc-skipped-title = 跳过的测量：
ipc-reading = 每条消息都由接收方逐字节核对。管道、套接字或消息队列每条消息要复制两次（拷进内核，再拷出来），做两次系统调用（大消息要分几次读写时更多），唤醒接收方还要付出一次调度器唤醒的代价。共享内存环形缓冲区（shm）把消息拷进共享映射，再拷出来（0-copy：就地写入、就地核对，完全不复制）；自旋时它不做任何系统调用，这时一条消息的代价只是它的缓存行从一个 CPU 传到另一个 CPU。用 futex 或 eventfd 时，等待的一端会睡眠，于是每条消息又要付出一次系统调用和一次唤醒：共享内存省掉的是复制，省不掉唤醒睡眠者的代价。memcpy 是这台机器在单个进程内复制的速度上限。单程时间是往返时间的一半，按成批的往返计时（JSON 里的 batch），这样读时钟的开销不计在内；p99 是这些批次的第 99 百分位数。

## grid：表格下列出每一行共同取值的那一行
grid-list-gap = { "，" }

## locks：对象与失败
lock-shared-region = 共享区域
lock-sysv-sem-set = 含 1 个信号量的信号量集（键 { $key }）
lock-sysv-sem-set-id = 信号量集 { $id }
lock-sysv-sem-limits-hint = kernel.sem 的限制可能已经用尽；请看 `ipcs -s` 和 `ipcs -ls`
lock-sysv-sem-keys-taken = 连续 { $attempts } 个随机的信号量键都已被占用；请看 `ipcs -s`：有程序占着非常多的信号量集
lock-named-sem-names-taken = 连续 { $attempts } 个随机名字在 /dev/shm 里都已存在：有程序在那里创建 shmlab-* 名字；请用 `ls -l /dev/shm` 查看

## output：写出文本和 JSON
output-cannot-write = 无法写入输出：{ $error }
output-cannot-write-path = 无法写入 { $path }：{ $error }；请给 --json 一个可写的路径
output-fifo-no-reader = --json { $path }：这是一个没有进程在读的 FIFO；请先启动读取方
output-json-refused = --json { $path }：{ $why }；请换一个可写的路径
output-is-directory = 这是一个目录
output-cannot-be-written = 无法写入（{ $error }）
output-directory-not-writable = 所在目录 { $dir } 不可写（{ $error }）
output-not-a-directory = { $dir } 不是目录
output-directory-missing = 所在目录 { $dir } 不存在（{ $error }）
output-cannot-examine = 无法检查（{ $error }）

## ipc：各种传输方式的对象与拒绝
ipc-channel = 基准测试的通道
ipc-datagram-too-big = { $size } 字节的数据报放不进这里的 UNIX 数据报套接字（{ $errno }）：它受 net.core.wmem_default/wmem_max 的限制
ipc-memcpy-measurement = memcpy 是一项测量，不是一种传输方式
ipc-mq-names-collide = 随机生成的 POSIX 消息队列名字一再重名；请看 /dev/mqueue
ipc-mq-msgsize = { $size } 字节的消息超过了这个用户的 fs.mqueue.msgsize_max（{ $msgsize_max }），或者队列的 { $messages } 条消息超过了 fs.mqueue.msg_max（{ $msg_max }）
ipc-mq-rlimit = 存放 { $size } 字节消息的队列超出了 RLIMIT_MSGQUEUE（每个用户 { $limit } 字节，`ulimit -q`）
ipc-unlimited = 不限
ipc-mq-queues-max = 已达到 fs.mqueue.queues_max
ipc-mq-see-man = 见 mq_open(3)
ipc-mq-open-failed = mq_open 失败：{ $errno }：{ $why }
ipc-ring-too-large = { $size } 超过了共享内存环形缓冲区允许的大小（{ $most } 字节）
ipc-ring-wakeup = 环形缓冲区的唤醒
ipc-not-a-stream = { $transport } 不是字节流
ipc-sysv-mq-too-big = { $size } 字节的消息超过了 kernel.msgmax（{ $msgmax } 字节）或 kernel.msgmnb（{ $msgmnb }）：System V 消息队列只传小消息；要测更大的消息，请以 root 用 sysctl 调高这两个值
ipc-sysv-mq-object = 一个消息队列（键 { $key }）
ipc-sysv-mq-hint = kernel.msgmni 可能已经用尽；请看 `ipcs -q` 和 `ipcs -lq`
ipc-sysv-mq-id = 消息队列 { $id }
ipc-sysv-mq-keys-taken = 连续 { $attempts } 个随机的消息队列键都已被占用；请看 `ipcs -q`

## 图表标题
bench-chart-cost = 一次受保护的加一要花多少时间
ipc-chart = 延迟和吞吐量随消息大小的变化
