# shmlab 的中文文本：--help：每个命令的简介和每个选项的说明。
# 每条消息都必须在 ../en/help.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
