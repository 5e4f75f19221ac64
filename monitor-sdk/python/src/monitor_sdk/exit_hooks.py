"""Process exit paths that end a run nobody finished: normal exit → finished, an unhandled exception →
failed, SIGTERM → killed. Each hook chains to what was installed before it, and does nothing in a forked
child (DataLoader workers): only the process that created the run ends it."""
import atexit
import os
import signal
import sys
import threading
import traceback


class ExitHooks(object):
    def __init__(self, run):
        self._run = run
        self._installed = False
        self._prev_excepthook = None
        self._prev_sigterm = None
        self._sigterm_installed = False

    def _owner(self):
        return os.getpid() == self._run._pid

    def install(self):
        atexit.register(self._atexit)
        self._prev_excepthook = sys.excepthook
        sys.excepthook = self._excepthook
        # Signal handlers can only be set from the main thread.
        if threading.current_thread() is threading.main_thread():
            try:
                self._prev_sigterm = signal.getsignal(signal.SIGTERM)
                signal.signal(signal.SIGTERM, self._on_sigterm)
                self._sigterm_installed = True
            except (ValueError, OSError, AttributeError):
                self._sigterm_installed = False
        self._installed = True

    def uninstall(self):
        if not self._installed:
            return
        self._installed = False
        try:
            atexit.unregister(self._atexit)
        except Exception:
            pass
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._prev_excepthook or sys.__excepthook__
        if self._sigterm_installed and threading.current_thread() is threading.main_thread():
            try:
                if signal.getsignal(signal.SIGTERM) == self._on_sigterm:
                    signal.signal(signal.SIGTERM, self._prev_sigterm if self._prev_sigterm is not None
                                  else signal.SIG_DFL)
            except (ValueError, OSError):
                pass

    def _atexit(self):
        if self._owner():
            self._run.finish("finished", timeout=self._run._exit_timeout)

    def _excepthook(self, exc_type, exc, tb):
        prev = self._prev_excepthook or sys.__excepthook__
        run = self._run
        try:
            if not run._closed and self._owner():
                status = "killed" if issubclass(exc_type, KeyboardInterrupt) else "failed"
                run.log_text("".join(traceback.format_exception(exc_type, exc, tb))[-16000:], level="fatal")
                run.log_event("exception", {"type": exc_type.__name__, "message": str(exc)[:2000]})
                run.finish(status, timeout=run._exit_timeout)
        finally:
            prev(exc_type, exc, tb)

    def _on_sigterm(self, signum, frame):
        prev = self._prev_sigterm
        try:
            if self._owner():
                self._run.log_event("signal", {"signal": "SIGTERM"})
                self._run.finish("killed", timeout=self._run._exit_timeout)
        finally:
            if callable(prev):
                prev(signum, frame)
            elif prev == signal.SIG_IGN:
                pass
            else:
                # Default action: die by the same signal so the parent sees the real cause of death.
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
