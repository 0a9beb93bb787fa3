# shmlab in English: container: IPC namespaces, /dev/shm size, cgroup charge, privilege, shm_rmid_forced.
# Every message must exist in ../zh/container.ftl with the same arguments (tested).
