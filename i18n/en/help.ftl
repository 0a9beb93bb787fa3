# shmlab in English: --help: the about text of every command and the help of every option.
# Every message must exist in ../zh/help.ftl with the same arguments (tested).
