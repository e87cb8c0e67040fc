module gort/groundtruth/scheduler

go 1.19
