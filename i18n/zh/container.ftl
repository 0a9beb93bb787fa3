# shmlab 的中文文本：container：IPC 命名空间、/dev/shm 大小、cgroup 计费、特权、shm_rmid_forced。
# 每条消息都必须在 ../en/container.ftl 中有同名、同参数的对应（有测试检查）。
# 术语见 docs/labs/zh/glossary.md。
