module gort/groundtruth/allocator

go 1.19
