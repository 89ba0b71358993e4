/// sqslite's own Python runtime loop: what runs a `python3.x` function when `awslambdaric` is not
/// importable, so that a plain `python3` is enough.
///
/// It speaks the Lambda Runtime API as AWS's runtime interface client does: imports the handler
/// (`module.function`, with `/` or `.` between packages) from `LAMBDA_TASK_ROOT`, reports init
/// failures to `/runtime/init/error` (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`,
/// `Runtime.MalformedHandlerName`, `Runtime.UserCodeSyntaxError`), then loops on
/// `/runtime/invocation/next`, passing the event and a context object (`aws_request_id`,
/// `function_name`, `function_version`, `memory_limit_in_mb`, `invoked_function_arn`,
/// `log_group_name`, `log_stream_name`, `get_remaining_time_in_millis()`, `log()`), and posting
/// the JSON result or an error document `{errorMessage, errorType, requestId, stackTrace}`.
/// Errors are logged as `[ERROR] Type: message` with the traceback, lines joined by `\r`; the root
/// logger writes `[LEVEL]\t<time>Z\t<request id>\t<message>`, as on Lambda.
enum PythonRuntimeScript {
    /// The file name under the data folder's `runtimes/`.
    static let fileName = "sqslite_python_runtime.py"

    /// The script.
    static let source = #"""
"""sqslite's Python runtime loop for the Lambda Runtime API (written by sqslite; stdlib only)."""

import decimal
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

RUNTIME_API = os.environ["AWS_LAMBDA_RUNTIME_API"]
PREFIX = "/2018-06-01/runtime"
_request_id = ""


class _Unbuffered:
    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        self._stream.write(text)
        self._stream.flush()

    def writelines(self, lines):
        self._stream.writelines(lines)
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


class Context:
    def __init__(self, request_id, deadline_ms, function_arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = None
        self.identity = None
        self.tenant_id = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))


class _Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def _call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(RUNTIME_API, timeout=None)
    try:
        connection.request(method, PREFIX + path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def _to_json(value):
    return json.dumps(value, default=_json_default, ensure_ascii=False).encode("utf-8")


def _log_error(error):
    lines = ["[ERROR] %s: %s" % (error["errorType"], error["errorMessage"]) if error["errorMessage"] else "[ERROR] %s" % error["errorType"]]
    if error["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\r".join(lines) + "\n")


def _error(error_type, message, trace, request_id=""):
    return {"errorMessage": message or "", "errorType": error_type, "requestId": request_id, "stackTrace": trace}


def _user_trace(tb):
    frames = [frame for frame in traceback.extract_tb(tb) if frame.filename != __file__]
    return traceback.format_list(frames)


def _load_handler(name):
    try:
        module_name, function_name = name.rsplit(".", 1)
    except ValueError as error:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (name, error))
    module_name = module_name.replace("/", ".")
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise _Fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % module_name)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
    except SyntaxError as error:
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, error.text)]
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error), trace)
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise _Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))


def _setup():
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    handler.setFormatter(
        logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
    )
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)


def main():
    global _request_id
    _setup()
    name = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("_HANDLER", "")
    try:
        handler = _load_handler(name)
    except _Fault as fault:
        error = _error(fault.error_type, fault.message, fault.trace)
    except Exception as exception:
        error = _error(type(exception).__name__, str(exception), _user_trace(sys.exc_info()[2]))
    else:
        error = None
    if error is not None:
        _log_error(error)
        _call("POST", "/init/error", _to_json(error), {"Lambda-Runtime-Function-Error-Type": error["errorType"]})
        sys.exit(1)

    while True:
        status, headers, body = _call("GET", "/invocation/next")
        if status != 200:
            # The platform is shutting this process down.
            sys.exit(0)
        headers = {key.lower(): value for key, value in headers.items()}
        _request_id = headers.get("lambda-runtime-aws-request-id", "")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        context = Context(
            _request_id, int(headers.get("lambda-runtime-deadline-ms", "0")), headers.get("lambda-runtime-invoked-function-arn")
        )
        try:
            try:
                event = json.loads(body) if body else None
            except ValueError as exception:
                raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % exception)
            result = handler(event, context)
            try:
                payload = _to_json(result)
            except (TypeError, ValueError) as exception:
                raise _Fault("Runtime.MarshalError", "Unable to marshal response: %s" % exception)
        except _Fault as fault:
            error = _error(fault.error_type, fault.message, fault.trace, _request_id)
        except Exception as exception:
            error = _error(type(exception).__name__, str(exception), _user_trace(sys.exc_info()[2]), _request_id)
        else:
            error = None
        if error is None:
            _call("POST", "/invocation/%s/response" % _request_id, payload, {"Content-Type": "application/json"})
        else:
            _log_error(error)
            _call(
                "POST",
                "/invocation/%s/error" % _request_id,
                _to_json(error),
                {"Lambda-Runtime-Function-Error-Type": error["errorType"], "Content-Type": "application/json"},
            )


if __name__ == "__main__":
    main()
"""#
}
