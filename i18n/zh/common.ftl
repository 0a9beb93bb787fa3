# shmlab 的中文文本：所有命令共用：错误与警告的前缀、句间空白、系统调用失败、中断。
# 每条消息都必须在 ../en/common.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## Prose
# 两个句子之间：英文有一个空格，中文没有。
sentence-gap = { "" }
grid-in-every-row = 每一行都相同：{ $values }。
# 标签与后文之间。
label-colon = { "：" }
# 短列表的各项之间（mmap、flock）。
list-gap = 、
# 同一行里两个分句之间（失败及其解决办法）。
clause-gap = { "；" }

## stderr 上一行的开头
cli-error = shmlab：错误：{ $message }
cli-stopped = shmlab：已停止：{ $message }
cli-warning = shmlab：警告：{ $message }

## 每个实验都可能给出的错误
interrupted = 被 { $signal } 中断：已停止所有子进程，并删除了本次运行创建的所有对象
# 系统调用失败，例如：对键 0x1 调用 shmget 失败：ENOSPC (No space left on device)
sys-failed = 对{ $object }调用 { $call } 失败：{ $errno }
param-out-of-range = { $param } 的值 { $value } 超出范围 { $range }

## 子进程报告的结果（sys/child_status.rs）
child-done = 完成
child-call-failed = 一次系统调用失败：{ $errno }
child-failed = 没有通过检查
child-gave-up = 等待超时，放弃
child-orphaned = 发现父进程已经不在，于是退出
child-panicked = 发生 panic
child-exit-status = 退出状态 { $code }
child-killed-by = 被 { $signal } 杀死

## 为什么打不开数据 TLB 计数器（sys/perf.rs）
perf-no-event = 这颗 CPU 没有向 perf_event_open 提供数据 TLB 未命中事件（虚拟机常常隐藏硬件计数器：/sys/bus/event_source/devices 下没有 `cpu`）
perf-refused = perf_event_open 被拒绝（{ $errno }）：kernel.perf_event_paranoid 为 { $level }（root 执行 `sysctl kernel.perf_event_paranoid=2` 后，普通用户就能统计自己的进程），也可能是容器的 seccomp 配置禁止了这个调用
perf-failed = perf_event_open 失败：{ $errno }
