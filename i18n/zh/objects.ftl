# shmlab 的中文文本：posix、lifecycle、inspect、ftok、各后端的共享区域，以及登记表（clean、list）。
# 每条消息都必须在 ../en/objects.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
