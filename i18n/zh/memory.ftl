# shmlab 的中文文本：memory、limits、大页、页比较与随机访问、内核参数调整。
# 每条消息都必须在 ../en/memory.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## memory：运行前的拒绝（src/experiment/memory.rs）
memory-cannot-read-meminfo = 无法读取 /proc/meminfo：{ $error }
memory-size-zero = 0：共享内存段至少要有一个字节；试试 256MiB
memory-size-absurd = { $size } 超过了这台机器内存与交换空间之和（MemTotal + SwapTotal = { $held }）的 16 倍，永远不可能有这么多可用：多半是写错了；请把 { $param } 改小
memory-size-beyond-machine = { $param } { $size } 超过了这台机器内存与交换空间的总和（MemTotal { $total } + SwapTotal { $swap }），这台机器上永远不会有这么多可用内存；请把 { $param } 改小，或换一台内存更大的机器
memory-not-available = ⟨size⟩ { $size } 需要 { $needed } 的新内存，但可用的只有 { $available }（MemAvailable，另留 { $margin } 余量）；请把 ⟨size⟩ 改小，如果确实要这么做，加上 ⟨force⟩
memory-fs-too-small-posix = ⟨backends⟩ { $backend }：{ $dir } 只剩 { $free } 可用空间，小于 ⟨size⟩ { $size }；请把 ⟨size⟩ 改小，或把 /dev/shm 重新挂载得更大
memory-fs-too-small-file = ⟨backends⟩ { $backend }：{ $dir } 只剩 { $free } 可用空间，小于 ⟨size⟩ { $size }；请把 ⟨size⟩ 改小，或让 TMPDIR 指向更大的文件系统
memory-hugetlb-eperm = SHM_HUGETLB 需要 CAP_IPC_LOCK 或属于 vm.hugetlb_shm_group（{ $group }），而你两者都不具备：无论大页池如何，内核都会返回 EPERM；请以 root 运行，或加上 ⟨let_kernel_refuse⟩ 亲眼看内核拒绝
memory-pool-short = 用 { $huge } 页的 { $size } 需要 { $pages } 个大页，但空闲且未预留的只有 { $free } 个（内核会返回 ENOMEM）；请加上 ⟨reserve_hugepages⟩（需 root）或运行 `{ $command }`，或加上 ⟨let_kernel_refuse⟩ 亲眼看内核拒绝
memory-cgroup-throttle = 超过 memory.high 后，内核会把写入者限流到几乎停滞
memory-cgroup-oom = 超过限额后，内核会 OOM 杀掉写入者（退出码 137）
memory-cgroup-refusal = ⟨size⟩ { $size } 放不进内存 cgroup { $cgroup }（{ $version }）：它的 { $file } 是 { $limit }，已计费 { $charged }（{ $usage_file }，减去内核可丢弃的文件缓存），只剩 { $room }，而 shmlab 需要 { $needed }，外加 { $margin } 余量；共享内存计费给第一个写入它的进程所在的 cgroup，并且只要对象还在就一直计费，{ $consequence }；请把 ⟨size⟩ 改小，或调高 { $dir } 的 { $file }，或在该 cgroup 之外运行（⟨force⟩ 跳过这项检查）

## memory：运行中
memory-holding = 将 { $backend } 的 { $size } 保持 { $seconds } 秒：现在可以看 `free -m` 或 `grep -E 'Shmem|HugePages' /proc/meminfo`（Ctrl-C 结束）
memory-touch-space = { $hint }，或把 ⟨size⟩ 改小
memory-touch-oom = 机器（或这个 cgroup）内存耗尽；请把 ⟨size⟩ 改小
memory-touch-object = { $dir } 中一个文件从偏移 { $offset } 起的 { $size }

## memory：大页池（src/kernel/hugepages.rs）
memory-not-a-page-size = { $text } 不是页大小 [可选值：none, 2M, 1G]
memory-no-huge-size = 这个内核没有 { $huge } 大页（{ $dir } 不存在）；请用 ⟨huge⟩ 2M 或 none
memory-cannot-open = 无法打开 { $path }：{ $error }
memory-pool-holder = （pid { $pid }）
memory-pool-busy-exclusive = 另一个 shmlab 运行{ $holder }正在使用或修改 { $huge } 大页池；请等它结束后再运行
memory-pool-busy-shared = 另一个 shmlab 运行{ $holder }正在修改 { $huge } 大页池；请等它结束后再运行

## memory：大小与参数（src/size.rs、src/experiment/params.rs）
memory-size-not-a-size = { $text } 不是大小：请写一个整数，可带单位，例如 2046MiB、2GiB、1G、4096
memory-size-unknown-unit = { $text }：未知单位 { $unit }；请用 B、K/KiB、M/MiB、G/GiB、T/TiB（以 1024 为底）或 KB、MB、GB、TB
memory-size-too-large = { $text } 太大
memory-proj-id-zero = { $proj_id }：ftok 只用低 8 位，而这里低 8 位是 0；请选一个低字节不为 0 的值（1..255）
memory-seconds = { $param } { $value }：请给出介于 { $least } 与 1e9 之间的秒数
memory-seconds-least-zero = 0
memory-seconds-least-ns = 1 纳秒

## memory：表格（src/report/table/memory.rs）
memory-col-backend = 后端
memory-col-phase = 阶段
memory-col-size = 大小
memory-col-create = 创建
memory-col-touch = 写入
memory-col-faults = 缺页
memory-col-release = 释放
memory-deltas-title = 相对“before”的变化量，单位 MiB（HP 两列：大页数）：
memory-costs-title = 每一步的开销（创建、写入、释放，单位毫秒；写入时的次缺页次数）：
memory-reading-intro = 怎么读这张表：`free*`（MemFree）自己就会上下浮动几百 MiB：释放的页先挂在每 CPU 页列表上，MemFree 不计入它们（自 Linux 6.7 起，这些列表加起来最多可占一个 zone 的八分之一），别的进程也在分配和释放；可靠的是 Shmem、Cached、HugePages 各计数器，以及共享段自己的驻留页（`its pages`，取自它那段映射的 smaps）。
memory-reading-small = 用 4 KiB 页时，创建 { $size } 还不分配任何页（只有内核的承诺 Committed_AS 增长）；写入后 Shmem 变化了 { $shmem } MiB，`free` 的 shared 和 buff/cache 两列也随之变化，因为这种共享内存是 tmpfs 上的一个文件（SysV 段和匿名 MAP_SHARED 用内核内部的 tmpfs，POSIX 对象用 /dev/shm），它的页属于页缓存。今天的 `free`（procps-ng ≥ 4.0.1）按 used = total − available 计算，所以 used 也变化了 { $used } MiB；原文用的 procps 3.3 按 total − free − buffers − cache 计算，这里得到 { $used3 } MiB：{ $verdict }。
memory-reading-flat = 几乎不变，正如原文里的 `used` 一直不变
memory-reading-lists = 这期间每 CPU 页列表变化了 { $lists } MiB
memory-reading-lists-unknown = 别的进程、内存回收
memory-reading-not-flat = 并非不变，因为这次运行期间 MemFree 自己变化了 { $own } MiB（{ $lists }；共享段自己的页 `its pages` 一页不少），这一列就差了这么多：在空闲的机器上再跑一次，就能看到它不变
memory-reading-mmap-file = mmap-file 是例外：它的页是该文件所在文件系统的页缓存（这里 Cached { $cached } MiB，Shmem { $shmem } MiB）；只有那个文件系统是 tmpfs 时才计入 Shmem。
memory-reading-huge = 用 { $huge } 大页时，创建预留了 { $reserved } 页（HugePages_Rsvd { $rsvd }），写入把它们用掉了（HugePages_Free { $free }，Rsvd 回到 { $rsvd_after }）；Shmem 变化了 { $shmem } MiB，`free` 的 used 只变化了 { $used } MiB（噪声）：大页来自预先划出的大页池（vm.nr_hugepages），大页池一调高就算作 used，所以写入大页不会改变 `free` 的任何一列，大页也从不出现在 `shared` 里。
memory-reading-pool = 运行前把大页池调高 { $pages } 页（{ $size }），这一步就已经改变了 `free`：used { $used } MiB，available { $available } MiB（大页池加上通常的噪声）。
memory-reading-back = 释放之后，Shmem 和 HugePages 各计数器都回到原处：对象已删除，它的页已释放（used、free 和 available 自己会浮动几百 MiB）。
memory-reading-and = { " 和 " }
memory-reading-prefaulted = { $backends } 的写入方式不同：它的文件系统可能被写满，而写入一个没有空间容纳的页会让写入者收到 SIGBUS，所以每个 64 MiB 的块都先用 MADV_POPULATE_WRITE 触发缺页（文件系统满时它会报错），然后再写入。这样每个块的缺页在一次系统调用里完成，而不是每页陷入一次内核，所以它的写入毫秒数更低，不能与其他后端相比。
memory-reading-order = 单次运行里的写入时间取决于顺序：在虚拟机上，最先写入那些虚拟机监控器尚未分配实际内存的运行会更慢（我们的机器上慢 2 到 4 倍）；`--compare-pages` 会先预热。

## memory --compare-pages（src/experiment/compare_pages.rs、src/report/table/memory.rs）
pages-need-free-huge = 需要 { $pages } 个空闲的 2 MiB 大页，空闲的只有 { $free } 个：请加 ⟨reserve_hugepages⟩（需 root）
pages-no-shmem-thp = 这个内核没有 shmem 的 THP 设置
pages-thp-setting = { $path } 是 { $value }；请以 root 运行（shmlab 会在运行期间设为 advise），或自行设为 advise
pages-cannot-read = 无法读取 { $path }
pages-madvise-failed = madvise({ $advice }) 失败：{ $error }
pages-col-pages = 页
pages-col-size = 大小
pages-col-touch-ms = 写入 ms
pages-col-cold-touch-ms = 冷写入 ms
pages-col-minor-faults = 次缺页
pages-col-teardown-ms = 拆除 ms
pages-col-huge-backed = 大页承载 MiB
pages-col-note = 备注
pages-skipped = 跳过：{ $why }
pages-reading = 时间取自两次运行中的第二次；“冷写入”是第一次运行的时间，在虚拟机上，它还包括虚拟机监控器首次为这些内存分配实际内存的开销。每页一次缺页：同样的大小，4 KiB 页的缺页次数是 2 MiB 页的 512 倍，每次缺页都要进一次内核，分配、清零并映射一页；用 2 MiB 页时，清零同样多的字节只需进内核 1/512 的次数，所以大页省下的是缺页，而不是清零。拆除时要释放的页也只有 1/512。

## memory --compare-pages --access random（src/experiment/random_access.rs、src/report/table/random_access.rs）
pages-counter-failed = 读取计数器失败：{ $errno }
pages-col-working-set = 工作集
pages-col-ns-per-read = { $pages } ns/次
pages-col-dtlb-per-read = { $pages } dTLB 未命中/次
pages-col-page-tables = PageTables +KiB
pages-col-vm-pte = VmPTE +KiB
pages-random-title = 随机 8 字节读，每次读的地址取决于上一次读到的值（测的是延迟），每个工作集读 { $reads } 次：
pages-tables-title = 写入新增的页表（PageTables：整台机器，VmPTE：本进程）：
pages-tlb-not-counted = 没有统计 TLB 未命中：{ $why }。
pages-only-one-kind = 只有一种页能运行，无从比较：请预留大页（以 root 身份加 --reserve-hugepages），让 2 MiB 那一行也能运行。
pages-kind-2m = { " " }2 MiB 大页
pages-kind-thp = 透明大页
pages-random-tables = 用 4 KiB 页写入 { $size } 让本进程的页表多了 { $small } KiB（每页一个 8 字节的表项），用{ $kind }时多了 { $huge } KiB。
pages-small-same = 这么小的工作集，无论页大小如何，TLB 都装得下它的全部地址转换，所以页大小几乎无关紧要
pages-small-apart = 已经相差 { $ratio } 倍，这超出了单凭 TLB 能解释的范围（缓存、噪声）
pages-large-gain = 用 4 KiB 页时几乎每次读都不命中 TLB，CPU 要遍历四级页表（在虚拟机上还有宿主机的页表）；一个 2 MiB 页只需一个 TLB 表项，4 KiB 页则需要 512 个，所以页表遍历更少也更短
pages-large-none = 这里看不出大页的明显好处：读取的耗时主要来自缓存未命中，或者这颗 CPU 的 TLB 覆盖范围或页表遍历缓存掩盖了差别
pages-random-reading = 在 { $small_set } 上，一次随机读用 4 KiB 页要 { $small_ns } ns，用{ $kind }要 { $huge_ns } ns：{ $small_verdict }。在 { $large_set } 上，是 { $large_small_ns } ns 对 { $large_huge_ns } ns（{ $ratio } 倍）：{ $large_verdict }。

## tuning：为一次运行修改的设置（src/tuning/*.rs）
tuning-reserve-needs-root = ⟨reserve_hugepages⟩ 要调高大页池，需要 root；请以 root 运行，或请 root 执行 `{ $command }`
tuning-cannot-write = 无法把 { $value } 写入 { $path }：{ $error }
tuning-cannot-write-root = 无法把 { $value } 写入 { $path }：{ $error }；这需要 root
tuning-pool-short = 向内核要 { $wanted } 个 { $huge } 大页，但它只找到 { $found } 个（内存碎片化或不足）；试试更小的 --size，或先执行 `sync; echo 3 > /proc/sys/vm/drop_caches`
tuning-cannot-read = 无法读取 { $path }
tuning-restore-failed = 无法把 { $path } 恢复为 { $old }：{ $error }；`shmlab clean` 会再试一次，也可以手动恢复

## limits：预测（src/experiment/limits.rs、src/model/limits.rs）
limits-overcommit-heuristic = { $size } 超过了内存加交换空间（{ $total }）；vm.overcommit_memory=0 时内核直接拒绝这样的请求（mm/util.c __vm_enough_memory）；请少要一些、加交换空间，或 `sysctl vm.overcommit_memory=1`
limits-overcommit-strict = 在严格记账（vm.overcommit_memory=2）下，{ $size } 超过了剩余的提交空间（约 { $room }：CommitLimit − Committed_AS − 预留）（mm/util.c __vm_enough_memory）；请少要一些、加交换空间，或调高 vm.overcommit_ratio
limits-bytes = { $n } 字节
limits-access-read = 读
limits-access-write = 写
limits-access-execute = 执行
limits-access-nothing = 无
limits-access-and = 、
limits-key-words = 键 { $key }
limits-key-words-origin = 键 { $key }（{ $origin }）
limits-enoent = 没有段使用{ $key }，而 ⟨no_create⟩ 不带 IPC_CREAT，所以 shmget 只查找这个键；去掉 --no-create 才会创建它
limits-what-segment = 段 { $shmid }（{ $size }，权限 { $mode }，属主 uid { $uid }）
limits-eexist = { $key } 已经有{ $what }，而 ⟨exclusive⟩（IPC_CREAT|IPC_EXCL）坚持要新段；去掉 --exclusive 可拿到它的 id，或用 `ipcrm -m { $shmid }` 删除它
limits-einval-smaller = { $key } 已有{ $what }，比请求的 { $size } 小，而内核从不扩大已有的段（ipc/shm.c shm_more_checks）；请最多要 { $max } 字节（0 也行），或用 `ipcrm -m { $shmid }` 删除后重新创建
limits-class-owner = 是它的属主
limits-class-group = 是它所属组的成员
limits-class-other = 既不是它的属主，也不在它的组里
limits-who-root = root
limits-who-uid = uid { $uid } 或 root
limits-eacces = { $key } 已有{ $what }；你（uid { $uid }）{ $class }，所以它的权限允许你：{ $granted }，但 ⟨mode⟩ { $mode } 要求：{ $asked }，而你没有 CAP_IPC_OWNER；请以 { $who } 身份运行、让属主放宽权限（shmctl IPC_SET），或少要一些权限（--mode 0 什么都不要）
limits-fits-existing = { $key } 已有{ $what }：shmget 返回它的 id，不创建任何东西，所以新段的限制都不适用
limits-fits-existing-huge = { $key } 已有{ $what }：shmget 返回它的 id，不创建任何东西，所以新段的限制都不适用（对已存在的段，SHM_HUGETLB 会被忽略）
limits-note-private-create = 无论带不带 IPC_CREAT，IPC_PRIVATE 都会创建新段（ipc/util.c ipcget）
limits-note-private-excl = IPC_EXCL 对 IPC_PRIVATE 没有意义，因为 IPC_PRIVATE 永远找不到已有的段
limits-shmmin = 段至少要有 1 字节（SHMMIN）
limits-shmmax = { $size } 超过了 kernel.shmmax（{ $shmmax }）；可用 `sysctl kernel.shmmax={ $bytes }` 调高
limits-numpages = { $bytes } 字节向上取整到 { $page } 的整页后超过 2^64 − 1 字节：页数溢出，内核在查看 kernel.shmall 之前就返回 ENOSPC（ipc/shm.c newseg）；只有把 kernel.shmmax 调到这么接近 2^64，才放得过这样的大小：`sysctl kernel.shmmax=18446744073692774399`（默认值）会把它变成 EINVAL
limits-shmall = 在已用的 { $in_use } 页之上再加 { $pages } 页，超过了 kernel.shmall（{ $shmall } 页）；可用 `sysctl kernel.shmall={ $total }` 调高
limits-shmall-huge = 在已用的 { $in_use } 页之上再加 { $pages } 页，超过了 kernel.shmall（{ $shmall } 页）（不管是不是大页，shmall 都按 { $page } 的页计算大小）；可用 `sysctl kernel.shmall={ $total }` 调高
limits-no-huge-size = 这个内核没有 { $huge } 大页（没有 /sys/kernel/mm/hugepages/hugepages-{ $kib }kB），所以标志里的页大小对它来说毫无意义（ipc/shm.c newseg）；请用 --huge 2M，或以 hugepagesz={ $huge } 启动
limits-eperm = SHM_HUGETLB 需要 CAP_IPC_LOCK 或属于 vm.hugetlb_shm_group（{ $group }），而你（uid { $uid }，gid { $gid }）两者都没有{ $userns }；自 Linux 5.16 起，再大的 RLIMIT_MEMLOCK 也无济于事（fs/hugetlbfs/inode.c hugetlb_file_setup）；请以 root 运行，或 `sysctl vm.hugetlb_shm_group=$(id -g)`
limits-eperm-userns = （用户命名空间里的 root 只在该命名空间内有 CAP_IPC_LOCK，而内核查看的是初始命名空间）
limits-note-wraps = { $bytes } 字节向上取整到 { $huge } 的整页时越过 2^64 回绕为 0，所以内核一个大页也不预留（ipc/shm.c newseg 对齐时不检查溢出；只有调高的 kernel.shmmax 才放得过这样的大小）
limits-surplus-room = ，另外还可以临时添加 { $room } 个超额大页（surplus）
limits-enomem-pool-one = 需要 { $need } 个 { $huge } 大页，空闲且未预留的有 { $free } 个{ $surplus }；以 root 执行 `{ $command }`（`shmlab memory --reserve-hugepages` 会为一次运行调高大页池）
limits-enomem-pool = 需要 { $need } 个 { $huge } 大页，空闲且未预留的有 { $free } 个{ $surplus }；以 root 执行 `{ $command }`（`shmlab memory --reserve-hugepages` 会为一次运行调高大页池）
limits-note-surplus = { $need } 个大页中有 { $extra } 个必须作为超额大页（surplus，vm.nr_overcommit_hugepages）添加；如果此刻找得到空闲内存，内核就会添加
limits-lfs = { $size } 超过了内核能建立的最大文件（MAX_LFS_FILESIZE，2^63−1 字节），而每个 SysV 段都是一个 shmem 文件（mm/shmem.c __shmem_file_setup）；没有哪个设置能改变这一点：请求的大小要小于 2^63 字节
limits-segments-one = 已有 1 个段
limits-segments-many = 已有 { $n } 个段
limits-shmmni = { $segments }，而 kernel.shmmni 是 { $shmmni }；请删掉一些（ipcs -m、ipcrm -m ID），或用 `sysctl kernel.shmmni={ $next }` 调高
limits-fits-huge = 大页池里有足够的空闲大页
limits-fits-accounting = 内存记账（vm.overcommit_memory）允许
limits-fits-one = 不超过 kernel.shmmax，{ $pages } 页在 kernel.shmall 之内，{ $shmmni } 个段 id 中有 { $free } 个空闲，并且{ $last }
limits-fits-many = 不超过 kernel.shmmax，{ $pages } 页在 kernel.shmall 之内，{ $shmmni } 个段 id 中有 { $free } 个空闲，并且{ $last }
limits-fits-keyed = 还没有段使用{ $key }，所以 shmget 会创建一个：{ $why }
limits-refuse-memory = ⟨size⟩ { $size }：shmget 会因为 { $by } 返回 { $errno }：{ $why }
limits-check-too-large = ⟨check⟩ { $size }：在这台机器上超过了 size_t
limits-try-object = ⟨try⟩ 创建的段 { $id }
limits-try-hint = 请用 `ipcrm -m { $id }` 或 `shmlab clean` 删除它
limits-demo-needs-root = ⟨demo⟩ 要临时修改 kernel.shm*，需要 root；请以 root 运行
limits-bad-key = { $text } 不是键：请按 ipcs 打印的形式（0x00001234）、十进制数或 IPC_PRIVATE 书写
limits-bad-mode = { $text } 不是权限：请用八进制写权限位，0 到 777（例如 600、0644）
limits-only-with-check = { $param } 只用于 { $check }：请加上 { $check } SIZE
limits-contradict = { $exclusive } 与 { $no_create } 互相矛盾：没有 IPC_CREAT，IPC_EXCL 毫无意义
limits-key-or-path = { $key } 和 { $key_path } 只能给一个
limits-ftok-zero = { $key_path } { $path } { $proj_id } { $value }：ftok 得到的键是 0，也就是 IPC_PRIVATE；请换一个 { $proj_id }
limits-disagreement = --try：内核返回 { $said }，而 shmlab 预测的是 { $predicted }；在这台机器上预测错了，请附上 `shmlab limits --check ... --try --json -` 的输出报告这个问题

## limits --demo：人人都能制造的拒绝（src/experiment/refusals.rs）
limits-control-page = shmlab 与子进程之间的控制页
limits-case-lower = 普通用户调低 kernel.shmmax
limits-why-lower = /proc/sys/kernel/shmmax 的权限是 0644，属主是 root：只有 root 能修改限制（以 root 运行 `limits --demo`，可以看到每项限制如何拒绝一个段）
limits-case-huge = 一个 2 MiB 的大页段
limits-why-huge-eperm = SHM_HUGETLB 需要 CAP_IPC_LOCK 或属于 vm.hugetlb_shm_group 指定的组（hugetlb_file_setup）；自 Linux 5.16 起，memlock ulimit 再大也不能让普通用户通过
limits-why-huge-enomem = 大页池里没有空闲的 2 MiB 页：shmget 时的预留失败（hugetlb_reserve_pages）
limits-why-huge-ok = 这个调用者可以使用大页，大页池里也有空闲页
limits-case-exists = 带 IPC_EXCL 的运行被杀后重新运行：EEXIST
limits-call-exists = 创建者被 SIGKILL 后：shmget({ $key }, 4096, IPC_CREAT|IPC_EXCL|0600)
limits-said-child-failed = 未尝试：子进程未能创建段（{ $errno }）
limits-why-exists-forced = 这里 kernel.shm_rmid_forced 是 1：被杀的创建者退出时，内核销毁了它的段（没有进程挂接），所以键又空出来了；若是默认值 0，重新运行会得到 EEXIST
limits-why-exists = SysV 段比创建它的进程活得长；被杀那次运行的段仍占着这个键，所以带 IPC_EXCL 的重新运行会被拒绝，直到有人删除它（这里由 shmlab 删除，就像真被杀之后 `shmlab clean` 所做的那样）
limits-case-permission = 段的权限不允许所请求的访问
limits-why-permission-owner = 这个进程对自己的 IPC 命名空间有 CAP_IPC_OWNER（用户命名空间的 root），ipcperms 对任何权限都放行，而它在这里又无法变成另一个用户；请以普通用户或整台机器的 root 运行，才能看到 EACCES
limits-said-create-failed = 未尝试：创建段失败（{ $errno }）
limits-call-as-nobody = 以 nobody（uid 65534）身份对 root 的 0600 段调用 shmget({ $key }, 0, 0600)
limits-why-as-nobody = ipcperms 把调用者请求的权限位与段的权限比较：nobody 既不是属主也不在组里，而这个段对其他人什么权限都不给
limits-call-own-0400 = 对自己的 0400 段调用 shmget({ $key }, 0, 0600)
limits-why-own-0400 = ipcperms 把请求的权限位（读和写）与段给属主的权限（只读）比较；root 反正都能通过（CAP_IPC_OWNER）
limits-case-removed = 进程等待期间信号量集被删除
limits-call-removed = semop(semid, { "{" }0, -2, 0{ "}" }) 睡眠中，然后 semctl(semid, 0, IPC_RMID)
limits-call-removed-unseen = semop(semid, { "{" }0, -2, 0{ "}" }) 睡眠中（未观察到睡眠），然后 semctl(semid, 0, IPC_RMID)
limits-why-removed = 睡眠者醒来时信号量集已不存在（do_semtimedop）；而共享内存段在挂接期间被删除时只会标记为 `dest`，等最后一次分离时才消失

## limits：表格（src/report/table/limits.rs）
limits-no-limit-default = 无限制：2^64 − 2^24 − 1 字节，自 Linux 3.16 起的默认值
limits-no-limit-about = 实际上无限制：约 2^{ $exponent } 字节
limits-one-page = 1 页
limits-pages = { $n } 页
limits-unlimited = 无限制
limits-req-huge = 大页：{ $huge }
limits-req-key = ，键 { $key }
limits-req-flags = ，{ $flags }
limits-verdict-fits = --check { $size }（{ $request }）：可以创建：{ $why }
limits-verdict-blocked = --check { $size }（{ $request }）：不能创建：{ $by } 挡住了它，shmget 会返回 { $errno }。{ $why }
limits-try-created = ok：shmid { $id }（已创建，随即删除）
limits-try-existed = ok：shmid { $id }（原已存在，未改动）
limits-try-predicted = 预测
limits-try-kernel-said = 内核返回
limits-try-agree = 一致
limits-yes = 是
limits-no = 否
limits-try-wrong = 否：预测错了
limits-shmmax-means = 单个 SysV 段的最大大小（超过则 EINVAL）
limits-shmmax-value = { $bytes }（{ $meaning }）
limits-shmall-no-limit = 超过 2^64 字节：实际上无限制
limits-shmall-value = { $pages } 页 = { $bytes }
limits-shmall-means = 所有 SysV 段加起来的总量，以页计（超过则 ENOSPC）
limits-shmmni-means = 最多可以有多少个 SysV 段（达到上限则 ENOSPC）
limits-segments-now = 现有段
limits-segments-value = { $segments } 个，共 { $pages } 页
limits-from = 取自 { $source }
limits-nr-hugepages-means = 大页池里的 2 MiB 大页（预先划出）
limits-pool = 大页池 { $size }
limits-pool-value = 共 { $nr }，空闲 { $free }，预留 { $reserved }，超额 { $surplus }
limits-hugetlb-group-means = 无需 CAP_IPC_LOCK 即可使用 SHM_HUGETLB 的组
limits-rmid-forced-means = 1：最后一次分离时销毁段
limits-dev-shm-value = 已用 { $used }，共 { $size }
limits-dev-shm-means = POSIX shm_open 和有名信号量所用的 tmpfs
limits-memlock-value = 软限制 { $soft }，硬限制 { $hard }
limits-memlock-means = 一个进程最多能锁定多少内存（SHM_LOCK、mlock）
limits-sem-means = SEMMSL：每个信号量集的信号量数；SEMMNS：信号量总数；SEMOPM：每次 semop 的操作数；SEMMNI：信号量集数
limits-sem-sets-now = 现有信号量集
limits-col-limit = 限制
limits-col-was = 原值
limits-col-lowered-to = 调低为
limits-col-asked-for = 请求
limits-col-expected = 预期
limits-col-kernel-said = 内核返回
limits-col-restored = 已恢复
limits-demo-title = 每项限制都临时调低一下（对整个 IPC 命名空间），随即恢复：
limits-refusals-title = 内核真实的拒绝（在 shmlab 自己的对象上制造）：
limits-refusal-said = 内核返回 { $said }，预期 { $expected }
limits-refusal-unexpected = 内核返回 { $said }，预期 { $expected }（出乎预期）

## 报告的图表列表里的名字
memory-chart = 内存去了哪里
