# shmlab 的中文文本：reproduce、run、report 和 compare：判定、说明、report.md。
# 每条消息都必须在 ../en/suite.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## 套件文件（spec.rs）
suite-cannot-read = 无法读取套件 { $path }：{ $error }
suite-not-valid = 套件 { $name } 无效：{ $error }（格式见 experiments/article.json）
suite-bad = 套件 { $name }：{ $what }
suite-bad-name = 字段 `suite` 必须是由字母、数字、- 和 _ 组成的短名称，而不是 { $name }
suite-no-runs = 字段 `runs` 为空：一个套件至少需要一次运行
suite-id-twice = 运行 id { $id } 出现了两次；id 必须唯一
suite-bad-run = 运行 { $id }：{ $what }
suite-id-not-string = 字段 `id` 必须是字符串，而不是 { $value }
suite-field-not-string = 运行 { $id }：字段 `{ $field }` 必须是字符串，而不是 { $value }
suite-bad-expect = 运行 { $id }：expect：{ $error }

## 判定：给人看的状态名（JSON 仍写 reproduced、differs……）
verdict-reproduced = 重现
verdict-differs = 不同
verdict-inconclusive = 无法判定
verdict-skipped = 跳过
# 统计：11 条重现，1 条不同，0 条跳过
tally-reproduced = { $n } 条重现
tally-differ = { $n } 条不同
tally-inconclusive = { $n } 条无法判定
tally-skipped = { $n } 条跳过
tally-gap = { "，" }

## 判定（src/suite/verdict.rs）：我们的数字（ours）与说明（note）
verdict-run-failed = 这次运行失败了：{ $why }
verdict-none-found = 这次运行没有产生可供判定的记录（{ $what }）
verdict-what-ipc = bench-ipc：64 B 的延迟（spin 与 pipe）和 64 KiB 的吞吐量（shm 与 pipe）
verdict-what-posix = posix 的 poll 与 epoll
verdict-what-unprotected = 无保护的 racing
verdict-what-protected = 有保护的 racing
verdict-what-memory = memory
verdict-what-huge = 大页的 memory
verdict-what-limits = limits
verdict-what-crash = crash
verdict-what-bench = 单进程 bench
verdict-ipc-ours = 64 KiB：shm { $shm } GiB/s，pipe { $pipe } GiB/s；64 B 单程：shm/spin { $spin_ns } ns，pipe { $pipe_ns } ns
verdict-ipc-note = 共享内存省掉了两次复制和系统调用；但睡眠的读者仍要付出一次唤醒的代价（futex、eventfd）
verdict-ipc-lost = 这里共享内存没有胜出：见 bench-ipc 的表（机器繁忙时，自旋的环形缓冲区受害最重）
verdict-posix-ours = poll：{ $poll }；epoll_ctl：{ $epoll }
verdict-epoll-accepted = 接受
verdict-epoll-failed = 失败（{ $errno }）
verdict-posix-note-ok = 在这个内核上 epoll 接受了这个描述符
verdict-posix-note = 不管内存里有什么，poll 和 select 都立即认为 tmpfs 文件已就绪，而 epoll 干脆拒绝它：要通知就绪，需要在共享内存旁边再配一个 eventfd（或 futex）
verdict-race-ours = { $label }：最终值 { $lo }..{ $hi }，中位数 { $median }（应得 { $expected }），{ $losing }/{ $trials } 轮丢失了更新
verdict-race-note = 具体数值取决于机器（CPU、fork 的速度、定时器松弛）；竞态本身重现了
verdict-race-no-loss = 有的运行没有丢失更新：这里子进程之间没有交错；请加大 children 或 delay_us
verdict-protected-ours = { $pairs } 种后端/锁组合，共 { $trials } 轮，每轮的最终值都准确
verdict-protected-lost = 有锁保护却丢失了更新：{ $which }
verdict-protected-bug = 正确的锁丢失了更新：这是一个 bug
verdict-rerun-quiet = { $noise }；请在空闲的机器上重新运行
verdict-shmem-noisy = { $backend }：整台机器的 Shmem 比这个段自己的页（+{ $own } MiB）多变化了 { $moved } MiB：运行期间别的进程改变了它们的共享内存
verdict-shmem-ours = { $backend }：{ $size } MiB 的段，Shmem { $shmem } MiB
verdict-shmem-ours-own = { $backend }：{ $size } MiB 的段，Shmem { $shmem } MiB，段自己的页 { $own } MiB
verdict-used-noisy = { $backend }：段自己的页都在，但 MemFree 自己变化了 { $memfree } MiB（别的进程、内存回收），所以原文的 `used`（total − free − buffers − cache）变化了 { $used } MiB，与这个段无关
verdict-free-ours = { $backend }：shared { $shared } MiB，buff/cache { $cache } MiB，used（procps 3.3）{ $used } MiB
verdict-free-note = 如今的 free（procps-ng >= 4.0.1）按 used = total - available 计算，显示的 used 是 { $used }（shmem 无法回收）；原文用的 procps 3.3 把这些页算作缓存
verdict-noise-then = { $noise }。{ $note }
verdict-huge-ours = { $backend }：创建时 HugePages_Rsvd { $rsvd }，访问时 HugePages_Free { $free }（{ $pages } 页）
verdict-huge-note = 页在创建时预留，在首次访问时用掉
verdict-huge-shared-ours = { $backend }：访问时 shared { $shared } MiB
verdict-pool-note = 运行前把 vm.nr_hugepages 调高 { $pages } 页，used 随之变化了 { $used } MiB：大页一进入大页池就算作已用（原文的大页池是事先预留好的）
verdict-limits-unchecked = 没有检查任何大小
verdict-limits-add-check = 请在这次运行中加上 `check`
verdict-limits-ours = shmmax { $shmmax }，shmall { $shmall } 页，shmmni { $shmmni }：{ $answer }
verdict-limits-fits = 放得下
verdict-limits-blocked = 被挡住
verdict-limits-note = 从 Linux 3.16 起，shmmax 和 shmall 的默认值接近 2^64：System V 的限制不再挡住这样的段，挡住它的是内存
verdict-futex-ours = 最慢的 futex 锁 { $futex } 为 { $futex_ns } ns，最快的系统调用锁 { $syscall } 为 { $syscall_ns } ns：相差 { $ratio } 倍
# 大页与 TLB（src/suite/tlb.rs）
verdict-tlb-no-4k = 没有带随机读取的 4 KiB 一行：请用 access random 运行 compare-pages
verdict-tlb-not-backed = { $pages }：没有任何大页支撑它
verdict-tlb-no-huge-row = 大页的各行都没能运行（{ $why }）
verdict-tlb-no-reads = 没有记录到随机读取
verdict-tlb-ours = 在 { $size } 上随机读取：4K { $small_ns } ns，{ $pages } { $huge_ns } ns（{ $ratio } 倍）
verdict-tlb-misses = 每次读取的 dTLB 未命中 { $small } 对 { $huge }
verdict-tlb-tables = 页表 +{ $small } KiB 对 +{ $huge } KiB
verdict-tlb-note = 原文没有给出数字；这里 4 KiB 页的读取远远超出 TLB 的覆盖范围，不命中 TLB，要遍历页表，而一个 2 MiB 的 TLB 表项覆盖的范围是它的 512 倍，页表遍历也少一级；工作集小时，两种页大小读起来一样快
verdict-tlb-note-uncounted = 原文没有给出数字；这里 4 KiB 页的读取远远超出 TLB 的覆盖范围，不命中 TLB，要遍历页表，而一个 2 MiB 的 TLB 表项覆盖的范围是它的 512 倍，页表遍历也少一级；工作集小时，两种页大小读起来一样快（没有统计 TLB 未命中：{ $why }）
verdict-tlb-not-slower = 这里 4 KiB 页没有慢到 { $ratio } 倍以上：缓存未命中占了主导，或者 CPU 的 TLB 覆盖范围和页表遍历缓存掩盖了遍历的代价；见 compare-pages 的表
# 容器（src/suite/container.rs）
verdict-no-observation = 这次运行没有观察项 { $path }
verdict-no-charge = { $path } 没有记录计费或大小
verdict-charged-ours = 组 { $group } 被计费的共享内存为 { $shmem }，占 { $size } 对象的 { $pct }%；A 记录了 { $kills }
verdict-no-oom-kill = 0 次 OOM 杀进程
verdict-one-oom-kill = 1 次 OOM 杀进程
verdict-oom-kills = { $n } 次 OOM 杀进程

## 运行套件（src/suite/runner.rs）
suite-cannot-create = 无法创建 { $path }：{ $error }；请用 --out 指定一个可写的目录
suite-too-many-dirs = { $root } 里 { $name } 的运行目录太多了
suite-rerun-as-root = 请以 root 身份重新运行：`sudo { $command }`

## 终端上的判定（src/report/table/verdicts.rs）
# 每个都在论断下面开始一行。
report-line-article = 原文：
report-line-ours = 实测：
report-line-note = 说明：
report-claims-one = 共 { $n } 条论断：{ $tally }。
report-claims = 共 { $n } 条论断：{ $tally }。

## report.md（src/report/markdown.rs）
report-title = # shmlab：套件 { $suite }，{ $started }
report-verdicts = 判定
report-tally = { $tally }。
report-verdicts-header = 运行 | 论断 | 原文 | 实测 | 判定 | 说明
report-machine = 机器
report-machine-is = 内核 { $kernel }（{ $arch }），{ $cpus } 个 CPU，内存 { $memory }，{ $procps }。
report-procps-unknown = procps 版本未知
report-settings-header = 设置 | 值
report-steps = 各步骤
report-steps-header = 运行 | 实验 | 用时 |
report-step-failed = **失败**：{ $why }
report-step-skipped = 跳过：{ $why }
report-total = 合计
report-charts = 图表

## 各命令打印的内容（src/commands.rs）
suite-built-in = 内置的 article.json
suite-everything-in = 全部结果都在 { $dir }/ 里（results.json、report.md、图表）。
suite-runs-failed = 运行 { $runs } 失败了；见 report.md
suite-run-summary = { $runs }（跳过 { $skipped } 次，失败 { $failed } 次），{ $records }，{ $verdicts }。
suite-count-run = { $n } 次运行
suite-count-runs = { $n } 次运行
suite-count-record = { $n } 条记录
suite-count-records = { $n } 条记录
suite-count-verdict = { $n } 条判定
suite-count-verdicts = { $n } 条判定
report-wrote = 已写出 { $dir }/report.md 和 { $n } 张图表：{ $charts }
clean-nothing = 没有要清理的：shmlab 的登记表（{ $dir }）里没有遗留对象。
clean-problems = 登记的 { $n } 个对象中有 { $problems } 个无法检查或删除；见上面几行
suite-lab-done = 完成：{ $lock }，{ $procs } 个进程：{ $ns } ns/次
suite-lab-stopped-after = （产生 { $n } 条记录后停止；其余的没有运行）
suite-list-unmarked = 无法把任何对象标记为 shmlab 的：{ $problem }
suite-man-wrote = 已在 { $dir } 写出 { $n } 个 man 手册页

## 读写运行目录（src/report/render.rs、plausible.rs）
report-cannot-write = 无法写入 { $path }：{ $error }；请让运行目录可写，或者换一个目录
report-not-regular = { $path } 是{ $kind }，不是结果文件；请给出 `shmlab run` 生成的运行目录
report-too-large = { $path } 有 { $size }（{ $bytes } 字节），超过了结果文件最多 { $limit } 的上限；请给出 `shmlab run` 生成的运行目录
report-cannot-read = 无法读取 { $path }：{ $error }；请给出 `shmlab run` 生成的运行目录
report-not-results = { $path } 不是 shmlab 的结果文件：{ $error }
report-implausible = { $path }：{ $found }；请改正它，或者重新运行套件
report-not-plausible = { $path } = { $number } 不像是测量值（应为 0，或绝对值在 { $smallest } 与 { $largest } 之间）
report-kind-directory = 一个目录
report-kind-char-device = 一个字符设备
report-kind-block-device = 一个块设备
report-kind-fifo = 一个 FIFO（有名管道）
report-kind-socket = 一个套接字
report-kind-symlink = 一个符号链接

## shmlab compare（src/compare/table.rs）
compare-group-racing = 竞态：每个无保护竞态的最终值中位数（占应得值的比例）。这个数会变：它取决于 CPU、fork 的速度和定时器松弛。
compare-group-locks = 锁：一次加锁加一次解锁的开销。它随 CPU、随共用这把锁的 CPU 个数而变；各种锁的快慢顺序不应该变。
compare-group-memory = 内存：被访问过的段的页出现在哪里。Shmem 和 shared 在每台机器上都应等于段的大小；全系统的数字还会随同时运行的其他程序变化。
compare-group-pages = 页大小：首次访问一个映射的每一页的用时，按页大小分列。
compare-group-ipc = IPC：一条小消息的单程延迟，按传输方式分列。
compare-runs-run = 运行
compare-runs-suite = 套件
compare-runs-kernel = 内核
compare-runs-cpus = CPU
compare-runs-memory = 内存
compare-runs-started = 开始（UTC）
compare-runs-schema = schema
compare-runs-compared = 比较了 { $n } 次运行
compare-claims = 论断：共判定 { $judged } 条；{ $same } 条在每次运行中状态相同，{ $differing } 条不同。
compare-claim = 论断
compare-status-in-each = 各次运行中的状态
compare-not-judged = 有 { $n } 次运行没有判定
compare-col-figure = 数字
compare-col-unit = 单位
compare-col-runs = 运行数
compare-col-min = 最小
compare-col-median = 中位数
compare-col-max = 最大
compare-col-varies = 波动
compare-col-strip = 0 → 最大，● 一次运行
compare-some-of = { $n }/{ $runs }
compare-each-figure = 数字
compare-each-run = 运行
compare-each-value = 值
compare-every-run = 每次运行：
# 各个数字的名称（JSON 里仍是英文，每次运行都相同）
compare-figure-racing = { $run }：{ $backend }，{ $children } 个子进程
compare-figure-locks = { $run }：{ $lock }，{ $procs } 个进程
compare-figure-memory = { $run }：{ $backend } { $size }，访问后的 { $counter }
compare-counter-shmem = Shmem
compare-counter-used = free 的 used
compare-counter-shared = free 的 shared
compare-counter-available = MemAvailable
compare-figure-pages = { $pages } 页，访问 { $size }
compare-figure-ipc = { $run }：{ $transport } { $size }，单程，{ $placed }
compare-placed-cpus = CPU { $a },{ $b }
compare-placed-unpinned = 未绑定 CPU
compare-unit-of-expected = 占应得值的比例
# 实验运行时写到 stderr 的提示。
suite-lab-note = shmlab：{ $text }
report-run-heading = ## { $id }：{ $title }
# crash 判定的数字：flock 已恢复、fcntl 已恢复……
verdict-crash-lock = { $lock } { $verdict }

## racing 扫描中变化的设置（src/report/sweep.rs）
report-sweep-children = 子进程数
report-sweep-delay = 延迟 µs
report-sweep-slack = 松弛 ns
report-sweep-default = 默认
report-sweep-children-label = { $n } 个子进程
report-sweep-delay-label = 延迟 { $us } µs
report-sweep-default-slack = 默认松弛
report-sweep-slack-label = 松弛 { $ns } ns
