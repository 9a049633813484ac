# Set-up, run and test targets. `make run` and `make test` are the two commands
# the README gives; every other target is a step they share.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stamp

# Debian/Ubuntu packages. Qt's xcb platform plugin and PortAudio are needed to run;
# the test peers (Orthanc, DCMTK, dicom3tools, OpenJPH, espeak-ng, sox, Xvfb) only to test.
RUN_DEBS := libportaudio2 libsndfile1 libegl1 libgl1 libfontconfig1 libdbus-1-3 \
	libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxcb-randr0 \
	libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0
TEST_DEBS := orthanc dcmtk dicom3tools espeak-ng sox xvfb xauth xdotool x11-apps \
	imagemagick iproute2 util-linux openjph-tools

.PHONY: run test check pytest bench fuzz installer translations venv venv-test venv-installer sysdeps-run \
	sysdeps-test clean

run: sysdeps-run venv translations
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset)."; \
		echo "On a machine without a screen, run: xvfb-run make run"; \
		exit 1; \
	fi
	$(BIN)/pacs-desktop

test: sysdeps-test venv-test translations check pytest

check:
	$(BIN)/ruff format --check pacs_desktop tests bench installer
	$(BIN)/ruff check pacs_desktop tests bench installer
	$(BIN)/mypy
	$(BIN)/lint-imports

# Orthanc and DCMTK's servers bind every interface, so where possible (root with
# unshare) the tests run in a private network namespace that has only loopback;
# PACS_TEST_NETNS tells the server fixtures that they are isolated.
pytest:
	@if [ "$$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then \
		echo "Running the tests in a private network namespace (loopback only)"; \
		QT_QPA_PLATFORM=offscreen PACS_TEST_NETNS=1 unshare --net \
			sh -c 'ip link set lo up && exec "$$0" "$$@"' \
			$(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

venv: $(STAMP)
venv-test: $(STAMP)-test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP)-test: $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Installs system packages where apt is present and usable (root, or sudo without a
# password); otherwise prints the apt line for an administrator to run.
sysdeps-run:
	@sh installer/apt-install.sh $(RUN_DEBS)

sysdeps-test:
	@sh installer/apt-install.sh $(RUN_DEBS) $(TEST_DEBS)

# Side-by-side benchmarks against the peers, and a one-minute fuzz pass;
# QUICK=1 makes a short smoke run without the fuzz pass.
bench: sysdeps-test venv-test
	@if [ "$$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then \
		PACS_TEST_NETNS=1 unshare --net sh -c 'ip link set lo up && exec "$$0" "$$@"' \
			$(BIN)/python -m bench $(if $(QUICK),--quick); \
	else \
		$(BIN)/python -m bench $(if $(QUICK),--quick); \
	fi

# The long fuzz run of import and render; MINUTES sets its length (default 10).
# Files that breach the contract are kept in fuzz-failures/ for replay, and any
# breach makes the target fail. `make bench` runs a one-minute pass of it.
MINUTES ?= 10
fuzz: sysdeps-test venv-test
	$(BIN)/python -m tests.fuzz.long_run --minutes $(MINUTES)

# Compiles translations/*.ts into the .qm files the GUI loads (pyside6-lrelease).
translations: venv
	$(BIN)/python translations/build.py

# A self-contained one-folder Linux bundle in dist/pacs-desktop (PyInstaller).
installer: venv-installer translations
	$(BIN)/python installer/build.py

venv-installer: $(STAMP)-installer
$(STAMP)-installer: $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[installer]'
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
