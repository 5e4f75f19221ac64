"""System metrics in a daemon thread: CPU, memory, process RSS, and per-GPU utilisation and memory.

psutil and pynvml are used when installed; otherwise /proc and `nvidia-smi` give the same figures."""
import os
import shutil
import subprocess
import threading

from ._util import warn_once


class _ProcCpu(object):
    """CPU % from deltas of /proc/stat, like top: busy time over total time since the last sample."""

    def __init__(self):
        self._last = self._read()

    @staticmethod
    def _read():
        try:
            with open("/proc/stat") as f:
                fields = [float(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
        # guest time is already counted inside user/nice, so only the first 8 fields add up to the total
        return idle, sum(fields[:8])

    def percent(self):
        now = self._read()
        last, self._last = self._last, now
        if now is None or last is None:
            return None
        d_total = now[1] - last[1]
        if d_total <= 0:
            return None
        return max(0.0, min(100.0, 100.0 * (1.0 - (now[0] - last[0]) / d_total)))


def _proc_meminfo():
    out = {}
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                parts = rest.split()
                if parts:
                    out[key] = int(parts[0]) * 1024
    except (OSError, ValueError):
        return None
    total = out.get("MemTotal")
    avail = out.get("MemAvailable", out.get("MemFree"))
    if total is None or avail is None:
        return None
    return total, total - avail


def _proc_rss():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def parse_nvidia_smi(text):
    """Rows of `utilization.gpu,memory.used,memory.total` (MiB) → [(util %, used bytes, total bytes)]."""
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 3:
            continue
        vals = []
        for p in parts[:3]:
            try:
                vals.append(float(p))
            except ValueError:
                vals.append(None)  # "[N/A]" on some boards
        util, used, total = vals
        gpus.append((util, None if used is None else used * 1048576.0, None if total is None else total * 1048576.0))
    return gpus


class SystemSampler(object):
    def __init__(self):
        try:
            import psutil  # noqa: F401
            self._psutil = psutil
            psutil.cpu_percent(interval=None)  # primes the delta, the first call always answers 0.0
            self._proc = psutil.Process()
        except Exception:
            self._psutil = None
            self._cpu = _ProcCpu()
        self._nvml = None
        try:
            import pynvml
            pynvml.nvmlInit()
            self._nvml = pynvml
        except Exception:
            self._nvml = None
        self._smi = shutil.which("nvidia-smi") if self._nvml is None else None

    def gpu_stats(self):
        if self._nvml is not None:
            nv = self._nvml
            out = []
            try:
                for i in range(nv.nvmlDeviceGetCount()):
                    h = nv.nvmlDeviceGetHandleByIndex(i)
                    util = nv.nvmlDeviceGetUtilizationRates(h).gpu
                    mem = nv.nvmlDeviceGetMemoryInfo(h)
                    out.append((float(util), float(mem.used), float(mem.total)))
            except Exception as e:
                warn_once("nvml", "GPU metrics via NVML failed: %s" % e)
            return out
        if self._smi:
            try:
                res = subprocess.run(
                    [self._smi, "--query-gpu=utilization.gpu,memory.used,memory.total",
                     "--format=csv,noheader,nounits"],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=5, check=True)
                return parse_nvidia_smi(res.stdout.decode("utf-8", "replace"))
            except Exception as e:
                warn_once("nvidia-smi", "GPU metrics via nvidia-smi failed: %s" % e)
                self._smi = None
        return []

    def sample(self):
        m = {}
        if self._psutil is not None:
            ps = self._psutil
            m["system/cpu_percent"] = ps.cpu_percent(interval=None)
            vm = ps.virtual_memory()
            m["system/memory_used_bytes"] = float(vm.total - vm.available)
            m["system/memory_total_bytes"] = float(vm.total)
            m["system/memory_percent"] = float(vm.percent)
            try:
                m["system/process_rss_bytes"] = float(self._proc.memory_info().rss)
            except Exception:
                pass
        else:
            cpu = self._cpu.percent()
            if cpu is not None:
                m["system/cpu_percent"] = cpu
            mem = _proc_meminfo()
            if mem is not None:
                total, used = mem
                m["system/memory_used_bytes"] = float(used)
                m["system/memory_total_bytes"] = float(total)
                m["system/memory_percent"] = 100.0 * used / total if total else 0.0
            rss = _proc_rss()
            if rss is not None:
                m["system/process_rss_bytes"] = float(rss)
        for i, (util, used, total) in enumerate(self.gpu_stats()):
            prefix = "system/gpu%d/" % i
            if util is not None:
                m[prefix + "utilization"] = util
            if used is not None:
                m[prefix + "memory_used_bytes"] = used
            if total is not None:
                m[prefix + "memory_total_bytes"] = total
            if used is not None and total:
                m[prefix + "memory_percent"] = 100.0 * used / total
        return m


class SystemMetricsThread(threading.Thread):
    def __init__(self, run, interval):
        threading.Thread.__init__(self, name="monitor_sdk-system-metrics", daemon=True)
        self._run = run
        self._interval = float(interval)
        self._stop_event = threading.Event()

    def run(self):
        try:
            sampler = SystemSampler()
        except Exception as e:
            warn_once("sysmetrics-init", "system metrics disabled: %s" % e)
            return
        # A first CPU figure needs one interval of history; sampling at t=0 would always say 0%.
        while not self._stop_event.wait(self._interval):
            try:
                values = sampler.sample()
            except Exception as e:
                warn_once("sysmetrics", "system metrics sample failed: %s" % e)
                continue
            if values:
                self._run.log_metrics(values)

    def stop(self):
        self._stop_event.set()
