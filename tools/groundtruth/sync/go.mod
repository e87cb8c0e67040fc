module gort/groundtruth/sync

go 1.19
