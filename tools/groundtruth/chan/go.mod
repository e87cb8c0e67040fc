module gort/groundtruth/chan

go 1.19
