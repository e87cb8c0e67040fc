module gort/groundtruth/syncmap

go 1.19
