# shmlab 的中文文本：reproduce、run、report 和 compare：判定、说明、report.md。
# 每条消息都必须在 ../en/suite.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
