// Package aliyun sends SMS through Alibaba Cloud SMS (dysmsapi 2017-05-25)
// with the official alibaba-cloud-sdk-go, classifies the vendor's answers
// into ports.SendError kinds, and keeps the SDK's chatty errors (which carry
// the AccessKeyId, the signature and the phone number) out of logs.
package aliyun
