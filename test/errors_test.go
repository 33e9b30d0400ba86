package test

import "github.com/authd/authd/domain"

// errDeliveryFailed is what the failover sender returns when every vendor failed.
var errDeliveryFailed = domain.ErrSMSDeliveryFailed
