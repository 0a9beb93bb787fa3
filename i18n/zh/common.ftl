# shmlab 的中文文本：所有命令共用：错误与警告的前缀、句间空白、系统调用失败、中断。
# 每条消息都必须在 ../en/common.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。

## Prose
# 两个句子之间：英文有一个空格，中文没有。
sentence-gap = { "" }
grid-in-every-row = 每一行都相同：{ $values }。
# 标签与后文之间。
label-colon = { "：" }
# 同一行里两个分句之间（失败及其解决办法）。
clause-gap = { "；" }

## stderr 上一行的开头
cli-error = shmlab：错误：{ $message }
cli-stopped = shmlab：已停止：{ $message }
cli-warning = shmlab：警告：{ $message }

## 每个实验都可能给出的错误
interrupted = 被 { $signal } 中断：已停止所有子进程，并删除了本次运行创建的所有对象
# 系统调用失败，例如：对键 0x1 调用 shmget 失败：ENOSPC (No space left on device)
sys-failed = 对 { $object } 调用 { $call } 失败：{ $errno }
param-out-of-range = { $param } 的值 { $value } 超出范围 { $range }
