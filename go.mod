module github.com/patchsim/patchsim

go 1.24.0
