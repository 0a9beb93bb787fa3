# shmlab 的中文文本：racing。每条消息都必须在 ../en/racing.ftl 中有同名、
# 同参数的对应（有测试检查）。数字由程序格式化后传入。术语见 docs/labs/zh/glossary.md。

## racing
racing-backend = 后端
racing-lock = 锁
racing-protects = 有保护
racing-expected = 应得
racing-final-spread = 最终值 最小/中位/最大
racing-finals = 最终值分布
racing-lost-median = 丢失中位数
racing-ms-median = 毫秒中位数
racing-final = 最终值
racing-lost = 丢失
racing-ms = 毫秒
racing-yes = 是
racing-no = 否
racing-every-trial = 每一轮：
racing-finals-spread = “最终值分布”一栏显示 { $trials } 轮的最终值在最小与最大之间如何分布；加 --long（或 --json）可列出每一轮。
racing-one-child = 唯一的一个子进程
racing-each-child = { $children } 个子进程各自
racing-times = ，如此重复 { $n } 次
racing-how-to-read = 怎么读这张表：{ $who }读取共享计数器，睡眠 { $delay } µs，再把读到的值加一写回{ $times }。要是它们一个接一个地运行，计数器最后应该是 { $expected }。
racing-reading-lost = 可它们是同时运行的：无保护的 { $total } 轮中有 { $losing } 轮丢失了更新，最多在 { $expected } 次加一里丢了 { $lost } 次（{ $what }）。一个子进程读计数器时，如果另一个子进程正处在读与写之间，它读到的就是同一个旧值；两个子进程都写回“旧值加一”，于是有一次加一白做了。这就是丢失更新，最终值只计入留下来的写入。计数器所在的内存确实被所有子进程共享；问题不在共享，而在没有保护的“读-改-写”。丢失多少取决于子进程之间怎样交错：CPU 个数、调度器、定时器松弛（timer slack）和 fork 的速度，所以每次运行、每台机器都不一样。
racing-control = 只有一个子进程时没有任何交错，也就不可能丢失更新：这是对照实验。
racing-no-overlap = 这里无保护的每一轮都准确无误：这一次子进程之间没有交错（父进程 fork 一次，比一个子进程做完自己的工作还慢）。加大 --children 或 --delay-us，让它们交错起来，就会丢失更新。
racing-protections = 各种保护：
racing-exact = 每轮都准确
racing-lost-updates = 丢失了更新
# 一种保护的判定与它的说明之间。
racing-verdict-gap = 。

## locks：每种保护是什么
lock-none = 没有任何保护：并发的“读-改-写”互相覆盖
lock-atomic = 根本不用锁：一次原子 fetch_add 让“读-改-写”不可分割
lock-flock = 每个子进程在自己打开的描述符上加 flock：每个子进程各有一个打开文件描述
lock-fcntl = POSIX 记录锁：属于进程，所以继承来的描述符也能用
lock-ofd = 每个子进程在自己打开的描述符上加 OFD 锁：锁属于它的打开文件描述
lock-posix-sem = 共享页里的无名信号量；无竞争时 sem_wait 只是一次原子操作，不进内核
lock-named-sem = /dev/shm/sem.* 里的有名信号量：底下是同样的 futex 字，只是按名字找到它
lock-sysv-sem = System V 信号量：每次 semop 都是一次系统调用；持有者死后，SEM_UNDO 会撤销它的操作
lock-mutex = robust 的进程间共享互斥锁：无竞争时走 futex 快速路径；持有者死后，下一个加锁者会得到 EOWNERDEAD
lock-mutex-nonrobust = 不带 robust 属性的进程间共享互斥锁：快，但持有者一死，锁就永远被占着
lock-flock-inherited = 并不是子进程之间的锁：它们共享父进程的同一个打开文件描述，而 flock 属于打开文件描述，所以每个子进程都已经“持有”它

## racing：错误与失败
racing-sweep-bad = { $param } '{ $spec }' { $why }；请写出一个参数和它的取值，例如 delay-us=0,1,10,100,1000（可扫描的参数有 delay-us、timer-slack 和 children）
racing-sweep-no-equals = 缺少 '='
racing-sweep-not-number = 有一个取值不是整数
racing-sweep-count = 需要 1 到 20 个取值
racing-sweep-unknown = 扫描的参数不存在
racing-schedule-clash = { $schedule } 不能与 { $param } 同时使用：调度自己决定子进程和步骤，也不睡眠；请去掉 { $param }
racing-trace-trials-alone = { $trace_trials } 要和 { $trace } 一起用：请加上它，或去掉 { $trace_trials }
racing-trace-too-many = { $trace } 要记录每一次临界区，这里有 { $sections } 次（{ $children } × { $iterations }），最多只能容纳 { $most } 次：请减少 { $children } 或 { $iterations }
racing-children-failed = 有 { $failed } 个子进程没有正常退出（崩溃、被杀，或到 { $timeout } 时仍在运行而被杀掉）；最终值里缺少它们的更新
racing-lock-lost = { $lock } 在 { $backend } 上本应互斥，却丢失了更新：最终值 { $finals }，应得 { $expected }

## schedule：无法照写法运行的 --schedule
schedule-refused = { $param } { $why }
schedule-empty = 是空的；请给出步骤，例如 "A.read B.read A.write B.write"，或一个调度名（{ $names }）
schedule-missing-child = 用到了 { $last }，却没有给 { $missing } 任何步骤；子进程要从 A 开始按字母顺序命名
schedule-not-a-step = 里的 '{ $word }' 不是步骤：步骤由子进程的字母（A 到 D）、一个点和 read、write、lock 或 unlock 组成，例如 A.read；也可以用一个命名的调度（{ $names }）
schedule-too-many-children = 里的 '{ $word }' 超出范围：一个调度最多只有 { $most } 个子进程，A 到 D（再多一页就放不下了）
schedule-step-while-waiting = 会死锁：第 { $n } 步（{ $step }）轮到 { $who }，但 { $who } 还在等它在第 { $at } 步请求的锁，而锁在 { $holder } 手里；请把 { $holder }.unlock 放到第 { $n } 步之前
schedule-read-twice = 让 { $who } 连读两次（第 { $first } 步和第 { $n } 步），中间没有写；每次读之后都要跟着这个子进程的一次写
schedule-write-before-read = 让 { $who } 在第 { $n } 步先写后读：写入的是这个子进程读到的值加一，所以每次写之前都要有同一个子进程的一次读
schedule-lock-twice = 会死锁：{ $who } 在第 { $n } 步再次请求自己已经持有的锁；持有者第二次加锁只能等它自己
schedule-two-waiters = 让 { $who } 在第 { $n } 步等锁，而 { $waiter } 已经在等：有两个等待者时，由锁而不是调度决定谁先拿到；请先让 { $holder } unlock
schedule-unlock-not-held = 让 { $who } 在第 { $n } 步释放一把它并不持有的锁
schedule-never-unlocked = 会死锁：{ $waiter } 从第 { $at } 步起等锁，而 { $holder } 永远不 unlock
schedule-ends-held = 结束时 { $holder } 仍持有锁：请加上 { $holder }.unlock
schedule-never-writes = 让 { $who } 在第 { $at } 步读了却从不写；请加上 { $who }.write

## replay：按步重放 --schedule
replay-too-many-steps = { $param } 有 { $steps } 步；最多只能重放 { $most } 步
replay-lock-cannot-hold = { $schedule } 里有加锁的步骤，而 { $lock } { $bad } 没有可以让一个子进程持有、另一个等待的东西；请用真正的锁（默认的 mutex，或 posix-sem、sysv-sem、flock、fcntl、ofd、named-sem）
replay-turn-word = 放行字
replay-await-ask = 子进程 { $who } 请求锁（第 { $n } 步）
replay-await-step = 第 { $n } 步（{ $step }）
replay-await-through = 第 { $step } 步的子进程在第 { $n } 步之后拿到锁
replay-child-failed = 调度中的一个子进程没有正常结束：{ $how }
replay-child-ended = shmlab 在等待{ $what }时，调度中的一个子进程结束了
replay-stuck = 等待{ $what }已过 { $seconds } 秒，子进程卡住了

## schedule：按步重放的表格及其解读
racing-schedule-title = 调度 { $name }{ $steps }（{ $backend } / { $lock }）
racing-schedule-name = { $name }：
schedule-step = 步骤
schedule-predicted = 预测
schedule-measured = 实测
schedule-measured-trials = 实测（各轮）
schedule-what-happens = 发生了什么
schedule-reads = { $who } 读到 { $value }
schedule-writes = { $who } 写入 { $read } + 1 = { $value }
schedule-takes-lock = { $who } 拿到锁
schedule-releases-lock = { $who } 释放锁
schedule-waits-seen = { $who } 请求锁时锁已被占用：一直等到第 { $until } 步（{ $trials } 轮中有 { $waited } 轮看到它在等）
schedule-waits-asleep = { $who } 请求锁时锁已被占用：一直等到第 { $until } 步（看到它在内核中睡眠等待）
schedule-erased-step = 第 { $n } 步（{ $step }）
schedule-and = 和
schedule-erases = ；抹掉了{ $steps }的更新
schedule-final-agrees = 计数器最终值：预测 { $predicted }，实测 { $measured }，与预测一致；共 { $writes } 次写，没有任何交错时应为 { $writes }。
schedule-final-differs = 计数器最终值：预测 { $predicted }，实测 { $measured }：与预测不符；共 { $writes } 次写，没有任何交错时应为 { $writes }。
schedule-not-as-written = 子进程没有按调度执行：有一步读写的值与预测不同。这要么是 shmlab 的 bug，要么是锁没有起到互斥作用；请附上这段输出报告给我们。
schedule-how-to-read = 怎么读这张表：子进程严格按上面的步骤和顺序执行，每一步都由 shmlab 依次放行，所以每次运行结果都一样。
schedule-nothing-lost = 没有哪次写覆盖了别的子进程的更新：每次读都在上一次写之后，所以 { $writes } 次加一全部有效。
schedule-victim = { $who } 的 { $value }
schedule-vanished-one = 第 { $n } 步抹掉了一次更新：{ $who } 在第 { $read_step } 步读到 { $value }，那时 { $victims } 还没有写入；它随后写回 { $value } + 1 = { $wrote }，把那次更新覆盖了。
schedule-vanished-many = 第 { $n } 步抹掉了几次更新：{ $who } 在第 { $read_step } 步读到 { $value }，那时 { $victims } 都还没有写入；它随后写回 { $value } + 1 = { $wrote }，把这些更新都覆盖了。
schedule-lock-step = 加锁的一步如果发现锁已被占用，就不会返回：子进程在内核中睡眠，直到持有者 unlock，所以它的读一定在持有者的写之后。这就是锁对竞态的作用。
schedule-and-victims = { " 和 " }

## racing --long：每一轮
racing-long-finals = 最终值  { $finals }
racing-long-lost = 丢失    { $lost }
racing-long-wall = 毫秒    { $wall }

## trace：--trace 在 racing 表格下给出的解读
trace-one-trial = 1 轮
trace-trials = { $n } 轮
trace-replayed = 追踪（{ $name }，共追踪 { $traced }）：根据记录重建计数器的历史，{ $complete } 轮中有 { $replayed } 轮恰好得到最终值。
trace-replayed-wrong = 追踪（{ $name }，共追踪 { $traced }）：根据记录重建计数器的历史，{ $complete } 轮中只有 { $replayed } 轮恰好得到最终值（重建不出最终值的追踪是错的：请报告给我们）。
trace-protected = 有 { $lock } 时，任何两个窗口都不重叠：一个子进程读计数器时，平均有 { $mean } 个（最多 { $most } 个）别的子进程处在“已读未写”之间，所以没有哪次写会基于过时的读数。一个窗口持续 { $window }，相邻两次 fork 相隔 { $spacing }；{ $why }。
trace-atomic-why = 这里没有什么可等的，读和写是同一条指令
trace-lock-why = 子进程来时如果锁在别人手里，就在读之前等在锁上
trace-default-slack = 默认 50 µs 的定时器松弛
trace-slack = 设为 { $ns } ns 的定时器松弛
trace-unprotected = 在追踪的第一轮里，一个子进程从读到写隔了 { $window }（它只要求睡 { $delay } µs，其余来自{ $slack }和唤醒的延迟）；相邻两次 fork 相隔 { $spacing }，每个子进程在 fork 之后 { $start } 才开始运行。所以一个窗口大约相当于 { $per_window } 个 fork 间隔：一个子进程读计数器时，平均有 { $mean } 个（最多 { $most } 个）别的子进程正处在“已读未写”之间，它们每一个都会覆盖这个子进程写入的值。大约每 { $one_in } 次更新才有 1 次留下来：预测最终值约为 { $predicted }，实测 { $measured }。缩短窗口（--delay-us 0、--timer-slack 1）或拉开 fork 的间隔，丢失的更新就会减少。
trace-example = 举个例子：子进程 { $victim } 在 { $victim_read_at } 读到 { $victim_read }；子进程 { $eraser } 在 { $eraser_read_at } 读到 { $eraser_read }；子进程 { $victim } 在 { $victim_write_at } 写入 { $victim_wrote }；子进程 { $eraser } 在 { $eraser_write_at } 写入 { $eraser_wrote }：子进程 { $victim } 的更新丢失了。

## racing：图表标题
racing-chart-finals = 每一轮计数器的最终值
racing-chart-timeline = 追踪的一轮：每个子进程的读和写
