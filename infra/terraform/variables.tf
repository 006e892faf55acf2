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
  description = "PostgreSQL major (or major.minor) version; the parameter group's family follows it."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version must be a major or major.minor version, e.g. 16 or 16.4."
  }
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

# --- connections ---------------------------------------------------------------------------------

variable "db_max_connections" {
  description = "PostgreSQL max_connections (set in the parameter group; see proxy.tf for the arithmetic)."
  type        = number
  default     = 500
}

variable "service_max_replicas" {
  description = "Most pods of each component (the chart's replicas or autoscaling.maxReplicas); each opens up to db_max_pool_size connections."
  type        = map(number)
  default     = { gateway = 10, oauth2 = 20, control_plane = 2, console = 2 }
}

variable "db_proxy_enabled" {
  description = "Put RDS Proxy between the pods and PostgreSQL (needed once replicas x pool size exceeds max_connections)."
  type        = bool
  default     = true
}

variable "db_proxy_max_connections_percent" {
  description = "Share of max_connections the proxy may open to the database."
  type        = number
  default     = 80

  validation {
    condition     = var.db_proxy_max_connections_percent >= 10 && var.db_proxy_max_connections_percent <= 90
    error_message = "db_proxy_max_connections_percent must be between 10 and 90 (leave room for migrations and the master user)."
  }
}

# --- TLS to the database -------------------------------------------------------------------------

variable "db_ca_bundle_pem" {
  description = "PEM bundle the pods verify the database against: RDS's global-bundle.pem plus Amazon Root CA 1 (for RDS Proxy)."
  type        = string

  validation {
    condition     = can(regex("-----BEGIN CERTIFICATE-----", var.db_ca_bundle_pem))
    error_message = "db_ca_bundle_pem must hold PEM certificates."
  }
}

variable "db_ca_key" {
  description = "File name of the bundle inside the mounted ConfigMap."
  type        = string
  default     = "ca.pem"
}

variable "db_ca_mount_path" {
  description = "Where the chart mounts the bundle in every pod (Npgsql's Root Certificate)."
  type        = string
  default     = "/etc/latchkey/db-ca"
}

# --- Kubernetes and the chart --------------------------------------------------------------------

variable "kubernetes_namespace" {
  description = "Namespace of the release and its Secret."
  type        = string
  default     = "latchkey"
}

variable "create_namespace" {
  description = "Create the namespace."
  type        = bool
  default     = true
}

variable "install_chart" {
  description = "Install charts/latchkey with helm_release (false: only the Secret and the CA ConfigMap)."
  type        = bool
  default     = true
}

variable "chart_path" {
  description = "Path (or repository chart reference) of the Latchkey chart; empty: this repository's charts/latchkey."
  type        = string
  default     = ""
}

variable "chart_values" {
  description = "Values files (YAML text) for the release, e.g. [file(\"my-values.yaml\")]."
  type        = list(string)
  default     = []
}

variable "domain" {
  description = "Public domain users reach (the chart's `domain`)."
  type        = string
}
