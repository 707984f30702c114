# Circles: a thin wrapper over scripts/ and meson.
#   make run    install what is missing, build, seed a demo network once, serve :8080
#   make check  install what is missing, build, run every test suite
#   make build  install what is missing and build build/circles
.PHONY: all setup build run check clean bench fuzz

all: build

setup:
	@scripts/setup

build: setup
	@scripts/build

run: build
	@scripts/run

check: build
	@scripts/check

bench: build
	@bench/http

fuzz: setup
	@tests/fuzz/run.sh

clean:
	rm -rf build build-asan tests/fuzz/bin
