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
racing-one-child = 唯一的子进程
racing-each-child = { $children } 个子进程中的每一个
racing-times = ，共 { $n } 次
racing-how-to-read = 怎么读这张表：{ $who }读取共享计数器，睡眠 { $delay } 微秒，再把读到的值加一写回{ $times }。如果它们一个接一个地运行，计数器最后会是 { $expected }。
racing-reading-lost = 可它们是同时运行的：无保护的 { $total } 轮中有 { $losing } 轮丢失了更新，最多在 { $expected } 次里丢了 { $lost } 次（{ $what }）。一个子进程读计数器时，如果另一个子进程正处在读与写之间，它读到的就是同一个旧值；两个子进程都写回“旧值加一”，于是一次递增凭空消失。这就是丢失更新，最终值只计入留下来的写入。计数器所在的内存确实被所有子进程共享；问题不在共享，而在没有保护的“读-改-写”。丢失多少取决于子进程之间怎样交错：CPU 个数、调度器、定时器松弛（timer slack）和 fork 的速度，所以每次运行、每台机器都不一样。
racing-control = 只有一个子进程时没有任何交错，也就不可能丢失更新：这是对照实验。
racing-no-overlap = 这里每一轮无保护的运行都恰好正确：这一次子进程之间没有交错（fork 比每个子进程的工作还慢）。加大 --children 或 --delay-us 让它们交错，就会丢失更新。
racing-protections = 各种保护：
racing-exact = 每轮都正确
racing-lost-updates = 丢失了更新

## locks：每种保护是什么
lock-none = 没有任何保护：并发的“读-改-写”互相覆盖
lock-atomic = 根本不用锁：一次原子 fetch_add 让“读-改-写”不可分割
lock-flock = 每个子进程在自己打开的描述符上 flock：每个子进程一个打开文件描述
lock-fcntl = POSIX 记录锁：属于进程，所以继承来的描述符也能用
lock-ofd = 每个子进程在自己打开的描述符上加 OFD 锁：锁属于它的打开文件描述
lock-posix-sem = 共享页里的无名信号量；无竞争时 sem_wait 只是一次原子操作，不进内核
lock-named-sem = /dev/shm/sem.* 里的有名信号量；同样的 futex 字，只是按名字找到
lock-sysv-sem = System V 信号量：每次 semop 都是一次系统调用；SEM_UNDO 会撤销已死持有者的操作
lock-mutex = 健壮的进程间共享互斥锁：走 futex 快速路径；持有者死亡时报告 EOWNERDEAD
lock-mutex-nonrobust = 没有健壮属性的进程间共享互斥锁：快，但持有者死后锁一直被占着
lock-flock-inherited = 并不是子进程之间的锁：它们共享父进程的同一个打开文件描述，而 flock 属于打开文件描述，所以每个子进程都已经“持有”它
