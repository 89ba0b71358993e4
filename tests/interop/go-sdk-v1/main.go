// Command go-sdk-v1 drives sqslite with the AWS SDK for Go v1 as Debian packages it (1.44.x, from
// before SQS's JSON switch, so every call uses the Query protocol: form-encoded requests, XML
// responses). It runs all 23 SQS actions, and the SDK checks the MD5 digests of bodies and
// attributes on every send and receive. The three message-move-task actions are newer than the
// packaged SDK, so they are sent through the SDK's own Query request machinery with hand-written
// shapes.
//
// Usage: go-sdk-v1 <endpoint>. Prints "ok <step>" per step; exits 1 on the first failure. The
// credentials are test/test unless SQSLITE_GO_ACCESS_KEY_ID and SQSLITE_GO_SECRET_ACCESS_KEY name
// others (a principal of a server running with --auth: every request is then signature-checked).
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/request"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/sqs"
)

type startMoveInput struct {
	_                            struct{} `type:"structure"`
	SourceArn                    *string  `type:"string"`
	DestinationArn               *string  `type:"string"`
	MaxNumberOfMessagesPerSecond *int64   `type:"integer"`
}

type startMoveOutput struct {
	_          struct{} `type:"structure"`
	TaskHandle *string  `type:"string"`
}

type listMoveInput struct {
	_          struct{} `type:"structure"`
	SourceArn  *string  `type:"string"`
	MaxResults *int64   `type:"integer"`
}

type moveTask struct {
	_                                 struct{} `type:"structure"`
	TaskHandle                        *string  `type:"string"`
	Status                            *string  `type:"string"`
	SourceArn                         *string  `type:"string"`
	DestinationArn                    *string  `type:"string"`
	MaxNumberOfMessagesPerSecond      *int64   `type:"integer"`
	ApproximateNumberOfMessagesMoved  *int64   `type:"long"`
	ApproximateNumberOfMessagesToMove *int64   `type:"long"`
	StartedTimestamp                  *int64   `type:"long"`
}

type listMoveOutput struct {
	_       struct{}    `type:"structure"`
	Results []*moveTask `locationNameList:"ListMessageMoveTasksResultEntry" type:"list" flattened:"true"`
}

type cancelMoveInput struct {
	_          struct{} `type:"structure"`
	TaskHandle *string  `type:"string"`
}

type cancelMoveOutput struct {
	_                                struct{} `type:"structure"`
	ApproximateNumberOfMessagesMoved *int64   `type:"long"`
}

func call(svc *sqs.SQS, name string, in, out interface{}) error {
	return svc.NewRequest(&request.Operation{Name: name, HTTPMethod: "POST", HTTPPath: "/"}, in, out).Send()
}

func fail(step string, format string, args ...interface{}) {
	fmt.Printf("FAIL %s: %s\n", step, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(step string, err error) {
	if err != nil {
		fail(step, "%v", err)
	}
	fmt.Printf("ok %s\n", step)
}

func expect(step string, cond bool, format string, args ...interface{}) {
	if !cond {
		fail(step, format, args...)
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Println("usage: go-sdk-v1 <endpoint>")
		os.Exit(2)
	}
	accessKey, secretKey := os.Getenv("SQSLITE_GO_ACCESS_KEY_ID"), os.Getenv("SQSLITE_GO_SECRET_ACCESS_KEY")
	if accessKey == "" {
		accessKey, secretKey = "test", "test"
	}
	sess := session.Must(session.NewSession(&aws.Config{
		Endpoint:    aws.String(os.Args[1]),
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials(accessKey, secretKey, ""),
		MaxRetries:  aws.Int(0),
	}))
	svc := sqs.New(sess)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1000000000)
	name, dlqName := "go-v1-"+suffix, "go-v1-dlq-"+suffix

	created, err := svc.CreateQueue(&sqs.CreateQueueInput{
		QueueName:  aws.String(name),
		Attributes: map[string]*string{"VisibilityTimeout": aws.String("40")},
		Tags:       map[string]*string{"team": aws.String("go")},
	})
	check("CreateQueue", err)
	url := *created.QueueUrl
	dlq, err := svc.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(dlqName)})
	check("CreateQueue(dlq)", err)
	dlqURL := *dlq.QueueUrl

	got, err := svc.GetQueueUrl(&sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	check("GetQueueUrl", err)
	expect("GetQueueUrl", *got.QueueUrl == url, "%s != %s", *got.QueueUrl, url)

	listed, err := svc.ListQueues(&sqs.ListQueuesInput{QueueNamePrefix: aws.String("go-v1-")})
	check("ListQueues", err)
	urls := aws.StringValueSlice(listed.QueueUrls)
	sort.Strings(urls)
	expect("ListQueues", strings.Contains(strings.Join(urls, " "), url) && strings.Contains(strings.Join(urls, " "), dlqURL), "%v", urls)

	attrs, err := svc.GetQueueAttributes(&sqs.GetQueueAttributesInput{QueueUrl: aws.String(dlqURL), AttributeNames: aws.StringSlice([]string{"All"})})
	check("GetQueueAttributes", err)
	dlqArn := aws.StringValue(attrs.Attributes["QueueArn"])
	expect("GetQueueAttributes", strings.HasSuffix(dlqArn, ":"+dlqName), "QueueArn %q", dlqArn)

	_, err = svc.SetQueueAttributes(&sqs.SetQueueAttributesInput{QueueUrl: aws.String(url), Attributes: map[string]*string{
		"RedrivePolicy": aws.String(fmt.Sprintf(`{"deadLetterTargetArn":"%s","maxReceiveCount":"5"}`, dlqArn)),
	}})
	check("SetQueueAttributes", err)
	attrs, err = svc.GetQueueAttributes(&sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: aws.StringSlice([]string{"VisibilityTimeout", "RedrivePolicy", "QueueArn"})})
	check("GetQueueAttributes(main)", err)
	expect("GetQueueAttributes(main)", aws.StringValue(attrs.Attributes["VisibilityTimeout"]) == "40", "%v", attrs.Attributes)
	expect("GetQueueAttributes(main)", strings.Contains(aws.StringValue(attrs.Attributes["RedrivePolicy"]), dlqArn), "%v", attrs.Attributes)
	mainArn := aws.StringValue(attrs.Attributes["QueueArn"])

	_, err = svc.TagQueue(&sqs.TagQueueInput{QueueUrl: aws.String(url), Tags: map[string]*string{"env": aws.String("test"), "owner": aws.String("a&b <c>")}})
	check("TagQueue", err)
	_, err = svc.UntagQueue(&sqs.UntagQueueInput{QueueUrl: aws.String(url), TagKeys: aws.StringSlice([]string{"env"})})
	check("UntagQueue", err)
	tags, err := svc.ListQueueTags(&sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	check("ListQueueTags", err)
	expect("ListQueueTags", len(tags.Tags) == 2 && aws.StringValue(tags.Tags["team"]) == "go" && aws.StringValue(tags.Tags["owner"]) == "a&b <c>", "%v", tags.Tags)

	// Bodies with every character class XML needs care with; the SDK checks MD5OfMessageBody
	// and MD5OfMessageAttributes of the response against what it sent.
	body := "hello <&> ]]> \"quoted\" 'single'\r\nline2\ttab ✓ 𝄞 \U0010FFFD"
	sent, err := svc.SendMessage(&sqs.SendMessageInput{
		QueueUrl:    aws.String(url),
		MessageBody: aws.String(body),
		MessageAttributes: map[string]*sqs.MessageAttributeValue{
			"s": {DataType: aws.String("String"), StringValue: aws.String("a <b> & \r c")},
			"n": {DataType: aws.String("Number.float"), StringValue: aws.String("4563442423554324324264524243.32543234")},
			"b": {DataType: aws.String("Binary"), BinaryValue: []byte{0, 1, 2, 0xff}},
		},
		MessageSystemAttributes: map[string]*sqs.MessageSystemAttributeValue{
			"AWSTraceHeader": {DataType: aws.String("String"), StringValue: aws.String("Root=1-5759e988-bd862e3fe1be46a994272793")},
		},
	})
	check("SendMessage", err)
	expect("SendMessage", sent.MD5OfMessageSystemAttributes != nil, "no MD5OfMessageSystemAttributes")

	batch, err := svc.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: []*sqs.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("batch a"), MessageAttributes: map[string]*sqs.MessageAttributeValue{
			"k": {DataType: aws.String("String"), StringValue: aws.String("v")}}},
		{Id: aws.String("b"), MessageBody: aws.String("batch b & <b>"), DelaySeconds: aws.Int64(0)},
		{Id: aws.String("c"), MessageBody: aws.String("batch c")},
	}})
	check("SendMessageBatch", err)
	expect("SendMessageBatch", len(batch.Successful) == 3 && len(batch.Failed) == 0, "%v", batch)

	var messages []*sqs.Message
	deadline := time.Now().Add(10 * time.Second)
	for len(messages) < 4 && time.Now().Before(deadline) {
		received, err := svc.ReceiveMessage(&sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: aws.Int64(10), WaitTimeSeconds: aws.Int64(1),
			AttributeNames: aws.StringSlice([]string{"All"}), MessageAttributeNames: aws.StringSlice([]string{"All"}),
		})
		if err != nil {
			fail("ReceiveMessage", "%v", err)
		}
		messages = append(messages, received.Messages...)
	}
	expect("ReceiveMessage", len(messages) == 4, "received %d of 4", len(messages))
	var first *sqs.Message
	for _, m := range messages {
		if aws.StringValue(m.MessageId) == aws.StringValue(sent.MessageId) {
			first = m
		}
	}
	expect("ReceiveMessage", first != nil, "the first message was not received")
	expect("ReceiveMessage", aws.StringValue(first.Body) == body, "body %q", aws.StringValue(first.Body))
	expect("ReceiveMessage", aws.StringValue(first.MessageAttributes["s"].StringValue) == "a <b> & \r c", "attribute %q", aws.StringValue(first.MessageAttributes["s"].StringValue))
	expect("ReceiveMessage", string(first.MessageAttributes["b"].BinaryValue) == string([]byte{0, 1, 2, 0xff}), "binary %v", first.MessageAttributes["b"].BinaryValue)
	expect("ReceiveMessage", aws.StringValue(first.Attributes["AWSTraceHeader"]) == "Root=1-5759e988-bd862e3fe1be46a994272793", "%v", first.Attributes)
	expect("ReceiveMessage", aws.StringValue(first.Attributes["ApproximateReceiveCount"]) == "1", "%v", first.Attributes)
	fmt.Println("ok ReceiveMessage")

	_, err = svc.ChangeMessageVisibility(&sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url), ReceiptHandle: messages[0].ReceiptHandle, VisibilityTimeout: aws.Int64(60)})
	check("ChangeMessageVisibility", err)
	changed, err := svc.ChangeMessageVisibilityBatch(&sqs.ChangeMessageVisibilityBatchInput{QueueUrl: aws.String(url), Entries: []*sqs.ChangeMessageVisibilityBatchRequestEntry{
		{Id: aws.String("ok"), ReceiptHandle: messages[1].ReceiptHandle, VisibilityTimeout: aws.Int64(60)},
		{Id: aws.String("bad"), ReceiptHandle: aws.String("not-a-handle"), VisibilityTimeout: aws.Int64(60)},
	}})
	check("ChangeMessageVisibilityBatch", err)
	expect("ChangeMessageVisibilityBatch", len(changed.Successful) == 1 && len(changed.Failed) == 1 && aws.StringValue(changed.Failed[0].Id) == "bad" && aws.BoolValue(changed.Failed[0].SenderFault), "%v", changed)

	_, err = svc.DeleteMessage(&sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: messages[0].ReceiptHandle})
	check("DeleteMessage", err)
	deleted, err := svc.DeleteMessageBatch(&sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: []*sqs.DeleteMessageBatchRequestEntry{
		{Id: aws.String("m1"), ReceiptHandle: messages[1].ReceiptHandle},
		{Id: aws.String("m2"), ReceiptHandle: messages[2].ReceiptHandle},
	}})
	check("DeleteMessageBatch", err)
	expect("DeleteMessageBatch", len(deleted.Successful) == 2, "%v", deleted)

	_, err = svc.PurgeQueue(&sqs.PurgeQueueInput{QueueUrl: aws.String(url)})
	check("PurgeQueue", err)

	_, err = svc.AddPermission(&sqs.AddPermissionInput{QueueUrl: aws.String(url), Label: aws.String("p1"),
		AWSAccountIds: aws.StringSlice([]string{"111122223333"}), Actions: aws.StringSlice([]string{"SendMessage", "ReceiveMessage"})})
	check("AddPermission", err)
	_, err = svc.RemovePermission(&sqs.RemovePermissionInput{QueueUrl: aws.String(url), Label: aws.String("p1")})
	check("RemovePermission", err)

	sources, err := svc.ListDeadLetterSourceQueues(&sqs.ListDeadLetterSourceQueuesInput{QueueUrl: aws.String(dlqURL)})
	check("ListDeadLetterSourceQueues", err)
	expect("ListDeadLetterSourceQueues", len(sources.QueueUrls) == 1 && *sources.QueueUrls[0] == url, "%v", aws.StringValueSlice(sources.QueueUrls))

	for i := 0; i < 5; i++ {
		if _, err := svc.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(dlqURL), MessageBody: aws.String(fmt.Sprintf("dead %d", i))}); err != nil {
			fail("SendMessage(dlq)", "%v", err)
		}
	}
	var started startMoveOutput
	check("StartMessageMoveTask", call(svc, "StartMessageMoveTask", &startMoveInput{
		SourceArn: aws.String(dlqArn), DestinationArn: aws.String(mainArn), MaxNumberOfMessagesPerSecond: aws.Int64(1)}, &started))
	expect("StartMessageMoveTask", aws.StringValue(started.TaskHandle) != "", "no TaskHandle")
	var tasks listMoveOutput
	check("ListMessageMoveTasks", call(svc, "ListMessageMoveTasks", &listMoveInput{SourceArn: aws.String(dlqArn), MaxResults: aws.Int64(10)}, &tasks))
	expect("ListMessageMoveTasks", len(tasks.Results) == 1 && aws.StringValue(tasks.Results[0].Status) == "RUNNING" &&
		aws.StringValue(tasks.Results[0].TaskHandle) == aws.StringValue(started.TaskHandle) && aws.StringValue(tasks.Results[0].DestinationArn) == mainArn,
		"%+v", tasks.Results)
	var cancelled cancelMoveOutput
	check("CancelMessageMoveTask", call(svc, "CancelMessageMoveTask", &cancelMoveInput{TaskHandle: started.TaskHandle}, &cancelled))
	expect("CancelMessageMoveTask", cancelled.ApproximateNumberOfMessagesMoved != nil, "no ApproximateNumberOfMessagesMoved")

	_, err = svc.GetQueueUrl(&sqs.GetQueueUrlInput{QueueName: aws.String("go-v1-missing-" + suffix)})
	aerr, isAWS := err.(awserr.RequestFailure)
	expect("error shape", isAWS && aerr.Code() == "AWS.SimpleQueueService.NonExistentQueue" && aerr.StatusCode() == 400 &&
		aerr.Message() == "The specified queue does not exist for this wsdl version." && aerr.RequestID() != "", "%v", err)
	fmt.Println("ok error shape")

	_, err = svc.DeleteQueue(&sqs.DeleteQueueInput{QueueUrl: aws.String(url)})
	check("DeleteQueue", err)
	_, err = svc.DeleteQueue(&sqs.DeleteQueueInput{QueueUrl: aws.String(dlqURL)})
	check("DeleteQueue(dlq)", err)
	fmt.Println("all actions passed")
}
