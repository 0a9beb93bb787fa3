# shmlab 的中文文本：与 racing 相邻的实验：crash、bench locks、bench ipc、schedule、竞态轨迹、各种锁和 IPC 传输方式。
# 每条消息都必须在 ../en/labs.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
