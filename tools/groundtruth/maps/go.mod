module gort/groundtruth/maps

go 1.19
