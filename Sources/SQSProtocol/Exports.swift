import SQSEngine
