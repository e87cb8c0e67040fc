module gort/groundtruth/defer

go 1.19
