# shmlab 的中文文本：container：IPC 命名空间、/dev/shm 大小、cgroup 计费、特权、shm_rmid_forced。
# 每条消息都必须在 ../en/container.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## 实验的检查（src/experiment/container/mod.rs）
container-size-range = { $param } { $value } 不合要求：必须是 { $low } 到 { $high } 之间的整数 MiB
container-name-a-step = 请指定一个步骤（{ $steps }），或者给出 { $all }
container-cannot-run = container { $step } 无法在这里运行：{ $why }
# 命名空间里某个调用失败：`shmat 失败：EINVAL (...)`。
container-call-failed = { $call } 失败：{ $errno }
container-free-memory = 请先释放一些内存
container-use-smaller = 请改用更小的 { $param }
container-no-meminfo = 无法读取 /proc/meminfo：{ $error }
container-room-memavailable = 这一步一次最多要访问 { $bytes }，可眼下只有 { $available } 可用（按 MemAvailable 计，并留出 { $margin } 余量）：{ $fix }
container-room-cgroup = 这一步一次最多要访问 { $bytes }，可 cgroup { $cgroup } 在其 { $file } 之下只剩 { $room } 的余量：{ $fix }
container-child-timeout = 有一个子进程没有按时完成，已被杀掉
container-child-ended = 有一个子进程结束了：{ $how }
# 内核没有按这一步预期的那样做时，结论以此开头（其他语言的运行中的英文标记同样能识别）。
container-unexpected-mark = 意外

## 观察发生在哪里（记录中的 `place`）
container-place-host = 宿主机
container-place-namespace = 命名空间
container-place-namespace-a = 命名空间 A
container-place-namespace-b = 命名空间 B
container-place-container = 容器
container-place-cgroup-a = cgroup A
container-place-cgroup-b = cgroup B
container-yes = 是
container-no = 否

## ipc-namespace
container-ftok-collisions = 连续 16 个新文件得到的 ftok 键都已被宿主机占用：请删除残留的段（ipcs -m）后再运行
container-host-has-none = 宿主机上没有带这个键的段
container-host-has-one = 宿主机上有 1 个带这个键的段
container-host-has-many = 宿主机上有 { $n } 个带这个键的段
container-host-lists-none = 宿主机没有列出带这个键的段
container-host-lists-one = 宿主机列出了 1 个带这个键的段
container-host-lists-many = 宿主机列出了 { $n } 个带这个键的段
container-key-shows = 键 { $key }；{ $host }
container-key-lesson = 键由文件的 inode 号和设备号算出，所以凡是看得见这个文件的命名空间，算出来的都是同一个键
container-create-inside-call = unshare({ $flags })；shmget(key, 64 MiB, IPC_CREAT|IPC_EXCL|0600)；shmat；写入；shmdt
container-create-inside-shows = A 中的 shmid 为 { $shmid }；命名空间内的 /proc/sysvipc/shm 列出了它；{ $host }
container-create-inside-lesson = 这个段只存在于 A 的命名空间里：在宿主机上运行 `ipcs` 看不到它
container-create-inside-unexpected = 意外：宿主机列出了一个带 A 的键的段
container-found-shmid = 找到了 shmid { $shmid }
container-host-lookup-lesson = 宿主机的命名空间里没有带这个键的段：键只在调用者所在的 IPC 命名空间里查找
container-host-lookup-unexpected = 意外：宿主机找到了一个带 A 的键的段
container-posix-own-shows = A 的 /dev/shm 里有它：{ $inside }；宿主机的 /dev/shm 里有它：{ $host }
container-posix-own-lesson = POSIX 对象就是进程在 /dev/shm 上看到的那个 tmpfs 里的一个文件：有自己 /dev/shm 的容器，也就有自己的一套名字
container-posix-own-unexpected = 意外：A 的 POSIX 对象不在它的 mount 命名空间所决定的位置
container-same-key-call = unshare({ $flags })；shmget(key, 4 KiB, IPC_CREAT|IPC_EXCL|0600)；shmat；写入 2
container-same-key-shows = B 中的 shmid 为 { $shmid }，是在 A 的同键段仍然存在时带着 IPC_EXCL 创建的；{ $host }
container-same-key-lesson = IPC_EXCL 没有失败：在 B 里这个键还没有对应任何段，所以同一个键又建出了另一个不同的段
container-posix-host-call = 用宿主机的挂载调用 shm_open("{ $name }", O_CREAT|O_EXCL)
container-posix-host-shows = 宿主机的 /dev/shm 里有它：{ $host }
container-posix-host-lesson = 仅有新的 IPC 命名空间并不能把 POSIX 对象隔开：B 与宿主机共用 /dev/shm，所以宿主机（以及共用这个挂载的每一个容器）都看得到 B 的名字
container-posix-host-unexpected = 意外：B 的 POSIX 对象不在宿主机的 /dev/shm 里
container-two-segments-call = shmat(A 的 shmid)；读第一个字
container-two-segments-shows = B 向同键的段写入 2 之后，A 读到的是 { $value }
container-two-segments-lesson = 一个键，两个段：每个命名空间各有各的
container-two-segments-unexpected = 意外：A 看到了 B 写入的值
container-last-process-call = A 唯一的进程退出，没有调用 IPC_RMID（段的 nattch 为 0）
# 解读部分会引用“命名空间已经消失；”之后的内容。
container-namespace-gone = 命名空间已经消失；{ $detail }
container-shmem-fell = 宿主机上的 Shmem 在 { $ms } 毫秒内下降了 { $fell }
container-shmem-moved = 宿主机上的 Shmem 在此期间变化了 { $moved } MiB，这既可能是我们的段造成的，也可能是其他程序的共享内存造成的
container-shmem-did-not-fall = 命名空间已经消失，但宿主机上的 Shmem 在 { $limit } 秒内没有下降
container-last-process-lesson = 一旦没有任何东西再持有命名空间（这里是它的最后一个进程），它的段就随它一起销毁，不管删除过没有；打开着的 /proc/PID/ns/ipc、对它的 bind mount，或者加入了它的进程，都会让命名空间连同这些段一起存活下去（Kubernetes Pod 的 pause 容器就在容器重启期间一直持有 Pod 的 IPC 命名空间）
container-last-process-unexpected = 意外：命名空间结束后，Shmem 没有下降一个段的大小
container-last-process-busy = 与此同时其他程序也在分配或释放共享内存，所以看不出这个命名空间的 64 MiB 是否被释放：请在更空闲的机器上再运行一次

## 命名空间里的进程（sandbox.rs、mailbox.rs）
container-mount-tmpfs-failed = 在 { $target } 上 mount -t tmpfs 失败：{ $errno }
container-remount-failed = 对 { $target } 执行 mount -o remount,size= 失败：{ $errno }
container-refuse-mount = 拒绝挂载：这个进程与宿主机共用 mount 命名空间
container-report-not-taken = shmlab 没有及时取走报告
container-report-unreadable = 无法解读命名空间里发来的报告：{ $error }
container-inside-failed = 在命名空间里：{ $why }
container-ended-before-report = 命名空间里的进程还没报告就结束了（{ $how }）
container-status-unknown = 状态未知
container-ended-badly = 命名空间里的进程没有正常结束：{ $how }
container-mailbox = 供命名空间里的进程使用的 1 MiB 共享信箱
container-sent-nothing = 命名空间里的进程在 { $limit } 内什么也没有发来
container-message-unreadable = 无法解读命名空间里发来的消息：{ $error }

## 谁来运行一步，以及为什么运行不了（privilege.rs）
# 显示为 `ipc-namespace（身份：root）`。
container-who-root = root
container-who-uid = uid { $uid }
container-who-user-namespace = uid { $uid }，在自己的 user 命名空间里是 root
container-mount-refused = 这里有安全模块拒绝 mount，AppArmor 的 docker-default 配置就是这样（`docker run --security-opt apparmor=unconfined`）
container-no-sys-admin = 这个 root 没有 CAP_SYS_ADMIN，容器里的 root 就是这样（`docker run --cap-add SYS_ADMIN`），或者有 seccomp 过滤器拒绝 unshare
container-root-refused = 即使是 root，{ $call } 也失败了（{ $error }）：{ $why }；user 命名空间同样被拒绝。也可以改在宿主机上运行 shmlab
container-user-refused = 以 uid { $uid } 运行时，命名空间必须在 user 命名空间里创建，而 { $call } 失败了（{ $error }）：{ $why }
container-probe-uid-map = 写 /proc/self/uid_map（把我们的 uid 映射为 root）
container-probe-private-mounts = 在新的 mount 命名空间里把挂载设为私有
container-fix-root = 或者以 root 身份运行 shmlab（sudo）
container-userns-max-zero = user.max_user_namespaces 为 0；`sysctl -w user.max_user_namespaces=10000` 可以允许它们，{ $fix }
container-userns-clone-zero = kernel.unprivileged_userns_clone 为 0（Debian 的内核补丁）；`sysctl -w kernel.unprivileged_userns_clone=1` 可以允许它们，{ $fix }
container-userns-apparmor = AppArmor 限制了非特权 user 命名空间（kernel.apparmor_restrict_unprivileged_userns = 1，Ubuntu 23.10 及以后）：给 shmlab 一个带 `userns,` 的 AppArmor 配置，或者 `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`，{ $fix }
container-userns-seccomp = 这里没有哪个 sysctl 禁止 user 命名空间，那么禁止它的是 seccomp 过滤器（Docker 的默认配置拒绝 unshare），或者是没有 CONFIG_USER_NS 的内核；{ $fix }
container-no-memory-controller = 这台机器没有内存 cgroup 控制器（/proc/self/cgroup 里没有 memory 一行，或者读不了它的文件）
container-cgroupfs-read-only = 无法创建 cgroup：{ $mount } 在这里是只读挂载的，大多数容器里都是如此：请在宿主机上运行这一步
container-cgroup-not-ours = 创建内存 cgroup 需要 root，或者委派给你的 cgroup：{ $parent } 属于另一个用户。请运行 `sudo shmlab container cgroup-charge`；在 cgroup v2 上，也可以让 shmlab 运行在一个委派单元的子组里（`systemd-run --user -p Delegate=yes --scope`，然后把 shmlab 移到这个 scope 下面它自己的组里，并在 scope 的 cgroup.subtree_control 里启用 memory）
container-cgroup-dir-read-only = 无法在 { $parent } 里创建 cgroup：cgroup 文件系统在这里是只读挂载的，大多数容器里都是如此：请在宿主机上运行这一步
container-cgroup-dir-refused = 无法在 { $parent } 里创建 cgroup：{ $errno }；创建内存 cgroup 需要 root，或者委派给你的 cgroup
container-cgroup-no-room = cgroup { $cgroup } 在其 { $file } 之下只剩 { $room } 的余量，而这一步最多要计费 { $need }：请给它更多内存，或者改用更小的 { $param }

## dev-shm-size
container-df = df /dev/shm：共 { $total }，已用 { $used }
container-exited-normally = 正常退出
container-killed-by = 被 { $signal } 杀掉
container-succeeded = 成功
container-failed-with = 失败：{ $errno }
container-unreadable = 无法读取
container-unknown-fs = 未知的文件系统
container-mount-lesson = 这就是容器的 /dev/shm，`docker run` 默认就这样挂载它（--shm-size=64m）
container-ftruncate-shows = { $outcome }；文件已分配 { $allocated }；{ $df }
container-ftruncate-lesson = tmpfs 文件是稀疏的：设置大小不分配任何页，所以也不会拿去和 tmpfs 的大小比较
container-ftruncate-unexpected = 意外：设置 tmpfs 文件的大小失败了
container-mmap-lesson = 映射同样不分配任何页
container-mmap-unexpected = 意外：映射失败了
container-touch-call = 一个子进程按顺序写每一页
# `ended` 是 container-exited-normally 或 container-killed-by。
container-touch-shows = 子进程访问了 { $size } 中的 { $reached } 之后{ $ended }；{ $df }
container-touch-lesson = 超出 tmpfs 大小的第一页分配不出来，而缺页处理没有错误码可以返回：访问内存的进程收到 SIGBUS，恰好在 tmpfs 的大小处（PyTorch 的 “DataLoader worker killed by signal: Bus error”）
container-touch-unexpected = 意外：在 tmpfs 的大小处没有出现 SIGBUS
container-fallocate-shows = { $outcome }；{ $df }
container-fallocate-lesson = 预先申请每一页，SIGBUS 就变成了程序可以报告的 ENOSPC（PostgreSQL 正是这么做的：“could not resize shared memory segment ... No space left on device”）；失败的调用已经分配的部分，tmpfs 也会还回来
container-fallocate-unexpected = 意外：posix_fallocate 没有以 ENOSPC 失败
container-shmmax-unlimited = { $bytes } 字节，实际上没有限制
container-xsi-call = shmget(IPC_PRIVATE, { $size }, 0600)；shmat；一个子进程写每一页
container-xsi-shows = 子进程访问了 { $reached } 之后{ $ended }；{ $df }；这个命名空间的 shmmax 是 { $shmmax }
container-xsi-lesson = System V 共享内存段是内核内部 shm 挂载上的一个文件，不在 /dev/shm 上：容器 /dev/shm 的大小限制不了它，限制它的只有 shmmax、shmall 和内存（以及内存 cgroup）
container-xsi-unexpected = 意外：System V 共享内存段没能被完整访问
container-bigger-call = mount -o remount,size={ $size }m /dev/shm；再访问同一个对象
container-bigger-shows = 子进程访问了 { $reached } 之后{ $ended }；{ $df }
container-bigger-lesson = 这是 Docker 提供的解决办法（`docker run --shm-size=256m`，或 Compose 里的 `shm_size:`）；在 Kubernetes 里，则是把 medium 为 Memory 的 emptyDir 挂到 /dev/shm，现在的 kubelet 会把它的 tmpfs 大小设为 sizeLimit 与 Pod 内存限额中较小的那个（kubernetes/kubernetes#94444）
container-bigger-unexpected = 意外：更大的 tmpfs 没有解决问题
container-cannot-create = 无法创建 { $path }：{ $error }
container-ftruncate-failed = 对 { $path } 调用 ftruncate 失败：{ $error }
container-file-call = open("{ $path }", O_CREAT)；ftruncate；mmap MAP_SHARED；访问每一页
container-file-shows = 子进程访问了 { $reached } 之后{ $ended }；文件在 { $kind } 上
container-file-lesson = 这就是 Chrome 的 --disable-dev-shm-usage 所做的：把共享内存放进 /tmp 下的一个文件，改由那个文件系统来限制（并且会写回到它上面）
container-file-unexpected = 意外：这个文件没能被完整访问
container-fallback-no-room = 改用文件的后备方案要在 { $dir } 里写入 { $bytes }（并留出 64 MiB 余量），但那里只有 { $free } 空闲：请腾出空间、把 TMPDIR 设到别处，或者改用更小的 { $param }
container-host-dev-shm-call = 前后各调用一次 statvfs("/dev/shm")
container-host-dev-shm-shows = 宿主机的 /dev/shm 之前是 { $before }，之后是 { $after }
container-host-dev-shm-lesson = 容器的 tmpfs 只挂载在它自己的 mount 命名空间里，并随之一起消失
container-host-dev-shm-unexpected = 意外：宿主机 /dev/shm 的大小变了

## cgroup-charge
container-no-row = 没有这一行：段已经不在了
# cgroup-charge 每条观察显示的内容，后面跟着两个组的计费。
container-charge-shows = { $shows }；A { $a }（shmem { $a_shmem }），B { $b }（shmem { $b_shmem }）
container-child-late = { $group } 里的子进程没有在 { $limit } 内完成
container-cgroup-child-killed = cgroup 这一步的一个子进程被 { $signal } 杀掉了
container-cgroup-child-unfinished = cgroup 这一步的一个子进程没有完成
container-cgroup-child-failed = cgroup 这一步的一个子进程出了问题：{ $why }
container-cgroup-no-place = cgroup-charge 需要一个能创建内存 cgroup 的位置
container-control-page = 控制页
container-groups-call = mkdir { $dirs }；echo { $limit } > 各自的 { $file }
container-groups-shows = 两个 { $version } 内存组，限额各为 { $limit }
container-groups-lesson = 容器就是这样的一个 cgroup：它的限额管的是计入它名下的一切
# 这一步运行时输出到 stderr（测试读的是英文形式）。
container-groups-made = 已在 { $parent } 下创建 cgroup { $a } 和 { $b }
container-created-call = 在 shmlab 自己的 cgroup 里调用 shmget(IPC_PRIVATE, { $size }, 0600)
container-created-shows = /proc/sysvipc/shm：{ $row }
container-created-lesson = 创建段不分配任何页，所以不向任何人计费
container-touched-call = A 中的一个子进程：echo $$ > cgroup.procs；shmat；写每一页
container-touched-shows = A 中的子进程访问了 { $size }
container-touched-lesson = 页计入第一个访问它们的进程所在的组：/dev/shm 或 medium 为 Memory 的 emptyDir 都算在容器的内存限额里
container-touched-unexpected = 意外：A 的子进程访问了这些页，A 却没有被计费
container-exited-call = A 中的子进程退出（它的挂接随之消失）
container-no-process = 没有进程
container-one-process = 有 1 个进程
container-processes = 有 { $n } 个进程
container-exited-shows = A 里{ $holds }；/proc/sysvipc/shm：{ $row }
container-exited-lesson = 计费比进程活得长：它属于这些页，而页属于仍然存在的段（一个 cgroup 里一个进程都没有，也可以一直被计费）
container-exited-unexpected = 意外：计费随进程一起消失了
container-read-call = B 中的一个子进程：echo $$ > cgroup.procs；shmat；读每一页
container-read-shows = B 中的子进程读完了全部 { $size }
container-read-lesson = 只映射并读取别人访问过的页的进程不分配任何东西，所以它的组不会被计费：第一个访问者替所有人买单
container-read-unexpected = 意外：B 只读了这些页，却被计费了
container-removed-shows = 段已销毁（nattch 原为 0）
container-removed-lesson = 删除段就释放了它的页，也解除了计费
container-charge-stayed = 意外：段删除之后计费仍然留着
container-past-limit-call = shmget(IPC_PRIVATE, { $size })；A 中的一个子进程写每一页
container-exited = 退出
container-past-limit-shows = 子进程访问了 { $reached } 之后{ $ended }；A 的 oom_kill 计数 { $before } → { $after }
container-past-limit-lesson = 超过限额时，内核试图回收内存，却回收不了（共享内存只能换出到 swap），于是组的 OOM killer 用 SIGKILL 结束了访问内存的进程：不是 SIGBUS，也不是程序能够处理的错误
container-past-limit-unexpected = 意外：超过限额访问内存并没有以 OOM 杀进程告终
container-oom-removed-call = 对被杀子进程正在访问的段调用 shmctl(shmid, IPC_RMID, NULL)
container-oom-removed-shows = 段已销毁
container-oom-removed-lesson = OOM 杀进程什么也没有释放：组一直停在限额上，为这个段计费，直到段本身被删除（Kubernetes 里内存型的 emptyDir 比崩溃的容器活得长，里面的东西也一样）

## rmid-forced
container-creator-failed = 创建段的子进程失败了（{ $how }）
container-rmid-write-failed = 在新命名空间里把 { $value } 写入 { $file } 失败：{ $error }（在 IPC sysctl 改为按命名空间属主控制之前的内核上，只有宿主机的 root 才能设置它们；请以 root 身份运行）
container-rmid-host-namespace = 这个进程仍在宿主机的 IPC 命名空间里；拒绝设置 shm_rmid_forced
container-rmid-default-shows = 新命名空间里是 { $value }（宿主机上是 { $host }）
container-rmid-default-lesson = 每个 IPC 命名空间都有自己的一套 kernel.shm* 值，从默认值开始
container-still-there = 仍然存在
container-still-there-nattch-0 = 仍然存在，nattch 为 0
container-gone = 已经消失
container-gone-ipc-stat = 已经消失（IPC_STAT 失败）
container-rmid-creator-call = shm_rmid_forced={ $value }；一个子进程：shmget(IPC_PRIVATE, 1 MiB)，不调用 shmat 就退出
container-rmid-creator-shows = 创建者退出之后，shmid { $shmid }：{ $state }
container-off-creator-lesson = 默认情况下段比它的创建者活得长：没人挂接，也没人删除，它就一直留着（经典的 System V 泄漏）
container-off-creator-unexpected = 意外：段随它的创建者一起消失了
container-off-detach-call = shm_rmid_forced=0；一个子进程：shmget、shmat、shmdt，然后退出
container-off-detach-shows = 最后一次分离、创建者也退出之后，shmid { $shmid }：{ $state }
container-off-detach-lesson = 最后一次分离也不会销毁它：只有 IPC_RMID 才会
container-off-detach-unexpected = 意外：段在最后一次分离时消失了
container-turn-on-shows = 上面留下的两个段，还剩 { $left } 个
container-turn-on-lesson = 打开这个设置会立刻销毁所有创建者已经不在、又没人挂接的段（shm_destroy_orphaned）
container-turn-on-unexpected = 意外：打开这个设置之后，无主的段仍然存在
container-on-creator-lesson = 没人挂接过的段会在创建者退出时被销毁
container-on-creator-unexpected = 意外：段比它的创建者活得长
container-on-detach-call = shm_rmid_forced=1；一个子进程：shmget、shmat、shmdt，趁自己还在运行时 shmctl(IPC_STAT)
container-on-detach-shows = 刚分离之后、创建者仍在运行时，shmid { $shmid }：{ $state }
container-on-detach-lesson = 任何段都会在最后一次分离时被销毁，就像调用了 IPC_RMID 一样：在两次使用之间分离的共享方式会因此失效
container-on-detach-unexpected = 意外：段在最后一次分离之后仍然存在
container-host-unchanged-call = 在宿主机上前后各 cat 一次 /proc/sys/kernel/shm_rmid_forced
container-host-unchanged-shows = 之前是 { $before }，之后是 { $after }
container-host-unchanged-lesson = 命名空间里的值是它自己的：宿主机的设置从没被动过
container-host-unchanged-unexpected = 意外：宿主机的 shm_rmid_forced 变了

## 这一步的内存 cgroup（memory_group.rs、src/kernel/memcg.rs）
container-cannot-make-cgroup = 无法创建 cgroup { $dir }：{ $error }
container-cannot-stat = 无法对 { $path } 调用 stat：{ $error }
container-cannot-write = 无法把 { $value } 写入 { $path }：{ $error }
container-cgroup-left = cgroup { $dir } 暂时还删不掉；等它空了，`shmlab clean` 会删除它
cgroup-no-delegation = 我们的 cgroup { $dir }、它的父组（如果委派给了我们）以及 { $root } 处 cgroup v2 层级的根，都没有在 cgroup.subtree_control 里列出 `memory`，所以在这里创建的组都不会有内存限额

## 观察结果的文字形式（src/report/table/container.rs）
container-skipped = { $step }：跳过：{ $why }
container-step-as = { $step }（身份：{ $who }）
# 一条观察的第一行：`host-lookup（宿主机）：shmget(key, 0, 0)`。
container-observation = { $id }（{ $place }）：{ $call }
container-kernel = 内核：{ $shows }
container-rows-inside = 命名空间内的行：{ $rows }
container-rows-on-host = 宿主机上的行：{ $rows }
container-rows-none = （无）
container-reading = 解读：{ $reading }

## 每一步下面的解读
container-reading-killed = 访问到 { $reached } 时被 { $signal } 杀掉
container-reading-touched-all = 访问完了全部 { $reached }
container-reading-did = 看得到
container-reading-did-not = 看不到
container-reading-found = 找到了
container-reading-created = 建出了
container-reading-did-not-create = 没能建出
container-reading-still-read = 读到的仍是
container-reading-no-longer-read = 读到的已不是
container-reading-ipc-namespace = 宿主机的 shmget 用命名空间 A 的键什么也没找到（{ $errno }）；命名空间 B 带着 IPC_EXCL 用同一个键{ $created }第二个段，而 A 之后{ $read }自己写的值。POSIX 名字就是文件：宿主机{ $own } A 自己的 /dev/shm 里的那个，{ $host } B 用宿主机的挂载建的那个。A 的最后一个进程退出时，{ $last }。
container-reading-nothing = 没有报错
container-reading-dev-shm-size = 在 { $tmpfs } 的 /dev/shm 里，一个 { $size } 的 POSIX 对象设置大小、建立映射都没有遇到任何问题；访问它的子进程{ $touch }；同样大小的 posix_fallocate 一开始就报告：{ $errno }；同样大的 System V 共享内存段根本不在 /dev/shm 上，它的子进程{ $xsi }。更大的 tmpfs，或者别的文件系统上的文件，才放得下整个对象。
container-reading-cgroup-charge = A 的子进程访问了这些页，cgroup A 因此被计费 { $touched } 共享内存，子进程退出后仍是 { $exited }；cgroup B 的子进程读遍了每一页，B 却只被计费 { $read }。删除段之后，A 还剩 { $removed }。超过限额时，A 中下一个访问内存的子进程{ $past }，A 的 OOM 杀进程计数为 { $kills }。
container-reading-went = 消失了
container-reading-stayed = 留了下来
container-reading-changed = 变了
container-reading-did-not-change = 没有变
container-reading-rmid-forced = shm_rmid_forced=0 时，段在创建者退出后{ $off_creator }，在最后一次分离后{ $off_detach }；打开这个设置，无主的段立刻{ $turn_on }；设为 1 时，一个段随创建者退出而{ $on_creator }，另一个在创建者仍在运行时、于最后一次分离时{ $on_detach }。宿主机上的值{ $host }。

## cgroup 这一步的表格
container-charges-title = 每次操作之后的两个 cgroup，单位 MiB
container-column-after = 操作
container-column-a-charged = A 计费
container-column-a-shmem = A shmem
container-column-b-charged = B 计费
container-column-b-shmem = B shmem
container-column-a-oom-kills = A OOM 杀进程
