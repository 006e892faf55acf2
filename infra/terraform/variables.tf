variable "name" {
  description = "Prefix for every resource name (lowercase letters, digits and hyphens)."
  type        = string
  default     = "latchkey"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must start with a letter and hold 2-31 lowercase letters, digits or hyphens."
  }
}

variable "vpc_id" {
  description = "VPC that hosts the Kubernetes cluster running Latchkey."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (at least two availability zones) for PostgreSQL and Redis."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Give at least two subnets in different availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (e.g. the Kubernetes nodes' or pods') allowed to reach PostgreSQL and Redis."
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "CIDR blocks allowed to reach PostgreSQL and Redis, in addition to the security groups."
  type        = list(string)
  default     = []
}

# --- PostgreSQL ----------------------------------------------------------------------------------

variable "db_engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (0 disables autoscaling)."
  type        = number
  default     = 500
}

variable "db_multi_az" {
  description = "Run a synchronous standby in a second availability zone."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database instance."
  type        = bool
  default     = true
}

variable "db_max_pool_size" {
  description = "Npgsql 'Maximum Pool Size' written into the connection string (per service replica)."
  type        = number
  default     = 50
}

# --- Redis ---------------------------------------------------------------------------------------

variable "redis_engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.medium"
}

variable "redis_num_cache_clusters" {
  description = "Nodes in the replication group: 1 primary plus replicas. 2 or more enables automatic failover."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_num_cache_clusters >= 1 && var.redis_num_cache_clusters <= 6
    error_message = "redis_num_cache_clusters must be between 1 and 6."
  }
}

# --- common --------------------------------------------------------------------------------------

variable "secret_recovery_window_days" {
  description = "Days Secrets Manager keeps a deleted secret recoverable (0 deletes at once)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
