# shmlab 的中文文本：memory、limits、大页、页比较与随机访问、内核参数调整。
# 每条消息都必须在 ../en/memory.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
