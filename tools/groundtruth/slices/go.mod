module gort/groundtruth/slices

go 1.19
