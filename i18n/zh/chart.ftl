# shmlab 的中文文本：SVG 图表的标题、坐标轴标签和图例。
# 每条消息都必须在 ../en/chart.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## 每张图
chart-no-data = 没有数据：没有可画的记录
# 标签里两项之间：“2M 大页，64 MiB”
chart-list-comma = { "，" }
chart-failed = 图表画不出来：{ $error }

## 竞态：每轮之后的共享计数器（racing.rs）
chart-racing-title = 竞态：每轮结束时的共享计数器
chart-racing-lost = 丢失了更新的一轮
chart-racing-exact = 没有丢失更新的一轮
chart-racing-expected-one = 期望值 { $n }（子进程数 × 次数）
chart-racing-expected-each = 期望值（子进程数 × 次数，数值标在右边）
chart-racing-expected = 期望值 { $n }
# 副标题："100 个子进程 × 每个 1 次加一，20 轮；每轮一个点，……"
chart-racing-setup = { $children }，每个 { $increments }，
chart-racing-child = { $n } 个子进程
chart-racing-children = { $n } 个子进程
chart-racing-increment = { $n } 次加一
chart-racing-increments = { $n } 次加一
chart-racing-trial = { $n } 轮
chart-racing-trials = { $n } 轮
chart-racing-per-pair = { $pairs } 个后端/锁组合各 { $trials }
chart-racing-subtitle = { $setup }{ $trials }；每轮一个点，纵向错开，相同的值也不会重叠
chart-racing-x = 计数器最终值（保留下来的加一次数）
chart-racing-y = 后端 / 锁
chart-racing-no-trials = 没有轮次

## 竞态：每个子进程的读和写（timeline.rs）
chart-timeline-title = 竞态：一轮中每个子进程的读和写
chart-timeline-subtitle = { $children }，后端 { $backend }，锁 { $lock }：{ $sections } 次临界区，{ $lost } 次更新被抹掉；{ $shown }
chart-timeline-one-child = 1 个子进程
chart-timeline-children = { $n } 个子进程
chart-timeline-first-shown = 只画出前 { $n } 个
chart-timeline-all-shown = 全部画出
chart-timeline-survived = 读 → 写，更新保留下来
chart-timeline-erased = 更新被抹掉
chart-timeline-eraser = 抹掉它的写入发生的位置
chart-timeline-row = 子进程 { $child }
chart-timeline-row-iteration = 子进程 { $child } #{ $iteration }
chart-timeline-read = 读到 { $value }
chart-timeline-eraser-read = 子进程 { $child }；读到 { $value }
chart-timeline-x = 自第一次 fork 起的毫秒数
chart-timeline-y = 子进程（按 fork 顺序）

## 内存（memory.rs）
chart-memory-title = 内存：共享段在 /proc/meminfo 中体现在哪里
chart-memory-huge-pages-series = HugePages_Free × 页大小
chart-memory-huge-rsvd-series = HugePages_Rsvd × 页大小
chart-memory-huge-pages = { $size } 大页
chart-memory-normal-pages = 普通页
chart-memory-normal = 普通页
chart-memory-subtitle = 相对“之前”快照的变化；HugePages_* 按“页数 × 大页大小”计
chart-memory-x = 运行的阶段（按后端和页大小分组）
chart-memory-y = 相对之前的变化（MiB）

## 锁（locks.rs）
chart-locks-title = 锁：保护一次加一的开销
chart-locks-no-data = 没有数据：没有一条记录的每次操作时间是有限的正数
chart-locks-process = { $n } 个进程
chart-locks-processes = { $n } 个进程
chart-locks-spread = 最快到最慢的一次重复
chart-locks-open = 空心：计数器最终值不对（没有互斥）
chart-locks-subtitle = 墙钟时间 ÷（进程数 × 加一次数），取各次重复的中位数；最便宜的锁在最上面
chart-locks-x = 每次受保护加一的纳秒数（对数刻度）
chart-locks-y = 锁
chart-locks-no-measurement = 没有测量

## IPC（ipc.rs）
chart-ipc-title = IPC：延迟和吞吐量随消息大小的变化
chart-ipc-no-data = 没有数据：每个测量点都被跳过了
chart-ipc-memcpy = memcpy（复制的上限，虚线）
chart-ipc-subtitle = 双对数坐标；左：单程延迟（中位数），右：吞吐量；每条消息都经过校验
chart-ipc-x = 消息大小（字节）
chart-ipc-latency = 单程 ns
chart-ipc-throughput = GiB/s

## 容器：cgroup 计费（charge.rs）
chart-charge-title = 容器：共享内存计费给谁
chart-charge-subtitle = 每个动作之后计入各 cgroup 的内存（memory.current 或 memory.usage_in_bytes）
chart-charge-a = cgroup A：它的子进程访问了这些页
chart-charge-b = cgroup B：它的子进程只读过这些页
chart-charge-x = 计费的 MiB
chart-charge-y = 动作之后
